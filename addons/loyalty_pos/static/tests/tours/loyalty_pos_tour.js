import * as Chrome from "@point_of_sale/../tests/pos/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/generic_helpers/dialog_util";
import * as OfflineUtil from "@point_of_sale/../tests/generic_helpers/offline_util";
import * as PaymentScreen from "@point_of_sale/../tests/pos/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/pos/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/pos/tours/utils/receipt_screen_util";
import * as TextInputPopup from "@point_of_sale/../tests/generic_helpers/text_input_popup_util";
import { registry } from "@web/core/registry";

/**
 * What the cashier reads, in the cashier's language: loyalty_pos's own terms
 * (its i18n/fr.po) and Odoo's (point_of_sale's). Amounts are written with a
 * point and shown with the language's decimal separator.
 */
const ENGLISH = {
    openRegister: "Open Register",
    continueOffline: "Continue with limited functionality",
    apply: "Apply",
    payment: "Payment",
    validate: "Validate",
    newOrder: "New Order",
    cardButton: "Loyalty Card",
    cardPopupTitle: "Loyalty card: number, name or phone",
    cardPopupPlaceholder: "Scan or type",
    balance: "Balance",
    earns: "Earns",
    birthday: "(birthday month: 10",
    openingFee: "Opening fee",
    paidFromWallet: "Paid from the wallet",
    balanceAfter: "Balance after",
    receiptCard: "Loyalty card",
    receiptWalletPaid: "Paid from the wallet",
    receiptCredit: "Credit earned",
    receiptOpeningFee: "Account opening fee",
    receiptBalance: "Wallet balance",
    receiptPending: "Credit computed at sync",
    decimalSeparator: ".",
};

const FRENCH = {
    openRegister: "Ouvrir la caisse",
    continueOffline: "Continuer avec des fonctionnalités réduites",
    apply: "Appliquer",
    payment: "Paiement",
    validate: "Valider",
    newOrder: "Nouvelle commande",
    cardButton: "Carte de fidélité",
    cardPopupTitle: "Carte de fidélité : numéro, nom ou téléphone",
    cardPopupPlaceholder: "Scannez ou saisissez",
    balance: "Solde",
    earns: "Gagne",
    birthday: "(mois d'anniversaire : 10",
    openingFee: "Frais d'ouverture",
    paidFromWallet: "Payé avec la cagnotte",
    balanceAfter: "Solde après",
    receiptCard: "Carte de fidélité",
    receiptWalletPaid: "Payé avec la cagnotte",
    receiptCredit: "Crédit gagné",
    receiptOpeningFee: "Frais d'ouverture",
    receiptBalance: "Solde cagnotte",
    receiptPending: "Crédit calculé à la synchronisation",
    decimalSeparator: ",",
};

/** The steps of one journey, with the texts of one language. */
function inLanguage(t) {
    const amount = (value) => value.replace(".", t.decimalSeparator);

    /** Put a card on the order with the button of the main screen. */
    function scanCard(number) {
        return [
            {
                content: "the loyalty card button is on the main screen",
                trigger: `.product-screen .control-buttons:not(.control-buttons-modal) .o_loyalty_network_card_button:contains("${t.cardButton}")`,
                run: "click",
            },
            {
                content: "the popup asks for the card",
                trigger: `.modal:not(.o_inactive_modal) .modal-header:contains("${t.cardPopupTitle}")`,
            },
            {
                content: "the popup says how",
                trigger: `.modal:not(.o_inactive_modal) textarea[placeholder="${t.cardPopupPlaceholder}"]`,
            },
            TextInputPopup.inputText(number),
            Dialog.confirm(t.apply),
        ];
    }

    /** The banner shows ``label`` and, if given, ``value`` (an amount) in ``selector``. */
    function bannerHas(selector, label, value = null, screen = ".product-screen") {
        const valueFilter = value ? `:contains("${amount(value)}")` : "";
        return {
            content: `the card banner shows ${label} ${value || ""}`,
            trigger: `${screen} .o_loyalty_network_banner ${selector}:contains("${label}")${valueFilter}`,
        };
    }

    /** The receipt prints ``label`` and ``value`` (an amount) on the line ``selector``. */
    function receiptHas(selector, label, value) {
        return {
            content: `the receipt prints ${label} ${value}`,
            trigger: `.o_loyalty_network_receipt ${selector}:contains("${label}"):contains("${amount(value)}")`,
        };
    }

    function pay() {
        return [
            {
                content: "the pay button speaks the cashier's language",
                trigger: `.product-screen .pay-order-button:contains("${t.payment}")`,
            },
            ProductScreen.clickPayButton(),
        ];
    }

    function payCashAndValidate() {
        return [
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.remainingIs(amount("0.00")),
            validate(),
        ];
    }

    function validate() {
        return [
            {
                content: "the validate button speaks the cashier's language",
                trigger: `.payment-screen .validation-button.next:contains("${t.validate}")`,
            },
            PaymentScreen.clickValidate(),
        ];
    }

    function nextOrder() {
        return [
            {
                content: "the next order button speaks the cashier's language",
                trigger: `.receipt-screen .button.next[name='done']:contains("${t.newOrder}")`,
            },
            ReceiptScreen.clickNextOrder(),
        ];
    }

    const start = () => [Chrome.startPoS(), Dialog.confirm(t.openRegister)];

    return {
        /** Card, holder as customer, preview, part paid from the wallet, receipt. */
        cardAndWallet: () =>
            [
                start(),
                scanCard("2990777777770"),
                bannerHas(".o_loyalty_holder", "Tour Holder"),
                bannerHas(".o_loyalty_balance", t.balance, "6.00"),
                {
                    content: "the holder is the order's customer",
                    trigger: ".product-screen .set-partner:contains('Tour Holder')",
                },
                ProductScreen.addOrderline("Loyalty Basket", "1"),
                // 50.00 at 4 %, as the server's money engine says
                bannerHas(".o_loyalty_preview_credit", t.earns, "2.00"),
                bannerHas(".o_loyalty_preview_balance_after", t.balanceAfter, "8.00"),
                pay(),
                bannerHas(".o_loyalty_balance", t.balance, "6.00", ".payment-screen"),
                PaymentScreen.clickPaymentMethod("Loyalty Wallet"),
                // the wallet proposes what it holds, up to the amount due
                PaymentScreen.selectedPaymentlineHas("Loyalty Wallet", amount("6.00")),
                // 44.00 left to pay by other means earns 1.76
                bannerHas(".o_loyalty_preview_credit", t.earns, "1.76", ".payment-screen"),
                bannerHas(".o_loyalty_preview_spend", t.paidFromWallet, "6.00", ".payment-screen"),
                payCashAndValidate(),
                ReceiptScreen.isShown(),
                receiptHas("div:first-child", t.receiptCard, "7770"),
                receiptHas(".o_loyalty_receipt_wallet_paid", t.receiptWalletPaid, "6.00"),
                receiptHas(".o_loyalty_receipt_credit", t.receiptCredit, "1.76"),
                receiptHas(".o_loyalty_receipt_balance_after", t.receiptBalance, "1.76"),
            ].flat(Infinity),
        /** Opening fee of a new holder, birthday rate, offline receipt. */
        receipts: () =>
            [
                start(),
                // A new holder: the first credit pays the account opening fee
                scanCard("2990777777787"),
                bannerHas(".o_loyalty_holder", "New Holder"),
                ProductScreen.addOrderline("Opening Basket", "1"),
                bannerHas(".o_loyalty_preview_credit", t.earns, "4.82"),
                bannerHas(".o_loyalty_preview_opening_fee", t.openingFee, "4.00"),
                bannerHas(".o_loyalty_preview_balance_after", t.balanceAfter, "0.82"),
                pay(),
                payCashAndValidate(),
                ReceiptScreen.isShown(),
                receiptHas(".o_loyalty_receipt_credit", t.receiptCredit, "4.82"),
                receiptHas(".o_loyalty_receipt_opening_fee", t.receiptOpeningFee, "4.00"),
                receiptHas(".o_loyalty_receipt_balance_after", t.receiptBalance, "0.82"),
                nextOrder(),
                // A holder in their birthday month earns 10 %
                scanCard("2990777777794"),
                bannerHas(".o_loyalty_holder", "Birthday Holder"),
                ProductScreen.addOrderline("Loyalty Basket", "1"),
                bannerHas(".o_loyalty_preview_credit", t.earns, "5.00"),
                bannerHas(".o_loyalty_preview", t.birthday),
                pay(),
                payCashAndValidate(),
                ReceiptScreen.isShown(),
                receiptHas(".o_loyalty_receipt_credit", t.receiptCredit, "5.00"),
                receiptHas(".o_loyalty_receipt_balance_after", t.receiptBalance, "26.00"),
                nextOrder(),
                // Offline, the receipt cannot know what the server will post
                scanCard("2990777777770"),
                bannerHas(".o_loyalty_holder", "Tour Holder"),
                ProductScreen.addOrderline("Loyalty Basket", "1"),
                bannerHas(".o_loyalty_preview_credit", t.earns, "2.00"),
                OfflineUtil.setOfflineMode(),
                pay(),
                payCashAndValidate(),
                ReceiptScreen.receiptIsThere(),
                {
                    content: "the receipt says the credit is computed at sync",
                    trigger: `.o_loyalty_network_receipt .o_loyalty_receipt_pending:contains("${t.receiptPending}")`,
                },
                {
                    content: "no posted figure is printed",
                    trigger: ".o_loyalty_network_receipt:not(:has(.o_loyalty_receipt_credit))",
                },
                Dialog.confirm(t.continueOffline),
                OfflineUtil.setOnlineMode(),
            ].flat(Infinity),
    };
}

const english = inLanguage(ENGLISH);
const french = inLanguage(FRENCH);

registry.category("web_tour.tours").add("LoyaltyNetworkPosTour", { steps: english.cardAndWallet });
registry.category("web_tour.tours").add("LoyaltyNetworkPosReceiptTour", { steps: english.receipts });
// The same journeys on a till that runs in French (the cashier's language)
registry.category("web_tour.tours").add("LoyaltyNetworkPosTourFr", { steps: french.cardAndWallet });
registry
    .category("web_tour.tours")
    .add("LoyaltyNetworkPosReceiptTourFr", { steps: french.receipts });
