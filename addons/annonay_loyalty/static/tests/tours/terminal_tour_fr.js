import { registry } from "@web/core/registry";

/**
 * The merchant's journey at the counter, for a merchant whose language is
 * French (data of test_terminal_french.py: the baker serves Camille, card
 * 2998765432106, wallet empty). The same journey as annonay_loyalty_terminal_tour,
 * reading the French of the screen (annonay_loyalty's i18n/fr.po: buttons,
 * preview, result) and amounts in the French format; the merchant types the
 * wallet payment with a comma.
 */
const T = {
    queryPlaceholder: "Scannez la carte, ou saisissez un numéro, un nom ou un téléphone",
    find: "Rechercher",
    newCard: "Nouvelle carte",
    nextCustomer: "Client suivant",
    balance: "Solde",
    amountLabel: "Montant (TTC)",
    addPurchase: "Ajouter l'achat",
    spend: "Utiliser la cagnotte",
    refund: "Rembourser",
    addThisPurchase: "Ajouter cet achat ?",
    payWithWallet: "Payer avec la cagnotte ?",
    refundThisSale: "Rembourser cette vente ?",
    whichSale: "Quelle vente est remboursée ?",
    walletPayment: "Paiement par cagnotte",
    credit: "Crédit (",
    openingFee: "Frais d'ouverture de carte",
    balanceNow: "Solde actuel",
    paidWithWallet: "Payé avec la cagnotte",
    balanceAfter: "Solde après",
    refundedAmount: "Montant remboursé",
    confirm: "Confirmer",
    back: "Retour",
    newBalance: "Nouveau solde",
    // Labels of the operations, from the server in the merchant's language
    earnDone: "Crédit sur achat",
    spendDone: "Cagnotte utilisée",
    refundDone: "Remboursement d'un paiement par cagnotte",
};

/** A row of the preview: its label, its amount. */
function previewRow(label, amount) {
    return {
        content: `the preview shows ${label} ${amount}`,
        trigger: `.o_loyalty_terminal_preview tr:contains("${label}"):contains("${amount}")`,
    };
}

function confirm() {
    return [
        { trigger: `.o_loyalty_terminal_preview .btn:contains("${T.back}")` },
        {
            content: "Confirm",
            trigger: `.o_loyalty_terminal_confirm:contains("${T.confirm}")`,
            run: "click",
        },
    ];
}

/** The result of the operation: its label, the amount, the new balance. */
function result(label, amount, balance) {
    return [
        {
            content: `the result says ${label}`,
            trigger: `.o_loyalty_terminal_result .fw-bold:contains("${label}")`,
        },
        {
            trigger: `.o_loyalty_terminal_result .o_loyalty_terminal_result_amount:contains("${amount}")`,
        },
        {
            content: `the new balance is ${balance}`,
            trigger: `.o_loyalty_terminal_result tr:contains("${T.newBalance}") .o_loyalty_terminal_result_balance:contains("${balance}")`,
        },
    ];
}

registry.category("web_tour.tours").add("annonay_loyalty_terminal_tour_fr", {
    steps: () =>
        [
            { content: "the screen's title", trigger: `.o_loyalty_terminal h1:contains("Bakery")` },
            { trigger: `.o_loyalty_terminal_next:contains("${T.nextCustomer}")` },
            { trigger: `.o_loyalty_terminal_enrol_toggle:contains("${T.newCard}")` },
            {
                content: "Scan the card (a USB scanner types the number)",
                trigger: `.o_loyalty_terminal_query[placeholder="${T.queryPlaceholder}"]`,
                run: "edit 2998765432106",
            },
            {
                content: "Find",
                trigger: `.o_loyalty_terminal_find:contains("${T.find}")`,
                run: "click",
            },
            {
                content: "The holder's card is shown",
                trigger: ".o_loyalty_terminal_holder:contains('Camille Terminal')",
            },
            {
                trigger: `.o_loyalty_terminal_profile:contains("${T.balance}") .o_loyalty_terminal_balance:contains("0,00")`,
            },
            { trigger: `label[for="lt_amount"]:contains("${T.amountLabel}")` },
            { content: "Type the purchase", trigger: ".o_loyalty_terminal_amount", run: "edit 250" },
            {
                content: "Add purchase",
                trigger: `.o_loyalty_terminal_add:contains("${T.addPurchase}")`,
                run: "click",
            },
            { trigger: `.o_loyalty_terminal_preview .card-header:contains("${T.addThisPurchase}")` },
            previewRow(T.balanceNow, "0,00"),
            previewRow(T.credit, "10,00"),
            previewRow(T.openingFee, "4,00"),
            previewRow(T.balanceAfter, "6,00"),
            confirm(),
            result(T.earnDone, "10,00", "6,00"),
            { trigger: ".o_loyalty_terminal_balance:contains('6,00')" },
            {
                content: "Type the wallet payment, with a comma",
                trigger: ".o_loyalty_terminal_amount",
                run: "edit 5,50",
            },
            {
                content: "Spend",
                trigger: `.o_loyalty_terminal_spend:contains("${T.spend}")`,
                run: "click",
            },
            { trigger: `.o_loyalty_terminal_preview .card-header:contains("${T.payWithWallet}")` },
            previewRow(T.paidWithWallet, "5,50"),
            previewRow(T.balanceAfter, "0,50"),
            confirm(),
            result(T.spendDone, "5,50", "0,50"),
            {
                content: "Refund",
                trigger: `.o_loyalty_terminal_refund:contains("${T.refund}")`,
                run: "click",
            },
            { trigger: `.o_loyalty_terminal_refund_picker .card-header:contains("${T.whichSale}")` },
            {
                content: "Pick the wallet payment in this shop's recent sales",
                trigger: `.o_loyalty_terminal_refund_choice:contains("${T.walletPayment}"):contains('Terminal')`,
                run: "click",
            },
            { trigger: ".o_loyalty_terminal_amount:value('5,50')" },
            { trigger: `.o_loyalty_terminal_preview .card-header:contains("${T.refundThisSale}")` },
            previewRow(T.refundedAmount, "5,50"),
            previewRow(T.balanceAfter, "6,00"),
            confirm(),
            result(T.refundDone, "5,50", "6,00"),
            {
                content: "Next customer",
                trigger: `.o_loyalty_terminal_next:contains("${T.nextCustomer}")`,
                run: "click",
            },
            {
                content: "The screen is ready for the next card",
                trigger: ".o_loyalty_terminal:not(:has(.o_loyalty_terminal_profile)) .o_loyalty_terminal_query",
            },
        ].flat(),
});
