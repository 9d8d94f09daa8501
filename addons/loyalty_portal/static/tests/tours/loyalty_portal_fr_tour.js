import { registry } from "@web/core/registry";

/**
 * The same journeys in a database run in French: every step checks French text
 * from this module's templates (or Odoo's own French), so they fail if a page
 * is left in English. Amounts are in the French format (6,00 €).
 */

async function checkImageLoaded(image, what) {
    await image.decode();
    if (!image.naturalWidth) {
        throw new Error(`${what} did not load.`);
    }
}

registry.category("web_tour.tours").add("loyalty_portal_holder_journey_fr", {
    url: "/my",
    steps: () => [
        {
            content: "Open my loyalty card from the portal home",
            trigger:
                "a[href='/my/loyalty'][title='Ma carte de fidélité']:contains('Solde, historique et préférences')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The card is shown to be scanned at the till",
            trigger:
                ".o_loyalty_card_barcode:has(h5:contains('Ma carte')):contains('Présentez cet écran en caisse')",
        },
        {
            content: "as a barcode",
            trigger:
                ".o_loyalty_card_barcode img.o_loyalty_barcode_ean13[alt='Code-barres de ma carte']",
            async run() {
                await checkImageLoaded(this.anchor, "The barcode");
            },
        },
        {
            content: "and as a QR code",
            trigger: ".o_loyalty_card_barcode img.o_loyalty_barcode_qr[alt='QR code de ma carte']",
            async run() {
                await checkImageLoaded(this.anchor, "The QR code");
            },
        },
        {
            content: "The wallet shows the balance in the French format",
            trigger:
                ".o_loyalty_wallet .card:has(.card-title:contains('Cagnotte')) .o_loyalty_balance:contains('6,00')",
        },
        {
            content: "and says where it can be spent",
            trigger:
                ".o_loyalty_wallet:contains(\"Vous pouvez l'utiliser chez tous les commerçants adhérents.\")",
        },
        {
            content: "The preferences are in French",
            trigger:
                ".o_loyalty_wallet .card:has(.card-title:contains('Préférences')):has(label:contains('E-mails du réseau et de mes commerçants')) button:contains('Enregistrer')",
        },
        {
            content: "The history is in French",
            trigger: "h4:contains('Historique')",
        },
        {
            content: "with French headers",
            trigger: ".o_loyalty_history_table th:contains('Opération') ~ th:contains('Solde')",
        },
        {
            content: "The history shows all operations",
            trigger: ".o_loyalty_history_filters a.btn-secondary:contains('Tous')",
        },
        {
            content: "Only purchase credits",
            trigger: ".o_loyalty_history_filters a[href='/my/loyalty?filterby=earning']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The history lists the two purchases only",
            trigger: ".o_loyalty_history_filters a.btn-light:contains('Tous')",
            run() {
                const rows = document.querySelectorAll(".o_loyalty_history_table tbody tr");
                if (rows.length !== 2) {
                    throw new Error(`Expected the 2 purchases, got ${rows.length} rows.`);
                }
            },
        },
        {
            content: "Open a purchase",
            trigger: ".o_loyalty_history_table a[href^='/my/loyalty/history/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The operation is named in the breadcrumbs",
            trigger: ".breadcrumb-item.active:contains('Opération')",
        },
        {
            content: "The operation shows the purchase and the balance after it",
            trigger:
                "dl:has(dt:contains('Achat')):has(dt:contains('Taux')):has(dt:contains(\"Solde après l'opération\"))",
        },
        {
            content: "Back to the card",
            trigger: ".breadcrumb-item a[href='/my/loyalty']:contains('Carte de fidélité')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open my deals",
            trigger: "a[href='/my/loyalty/deals']:contains('Mes bons plans')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The deal says until when and how many are left",
            trigger:
                ".o_loyalty_deal:contains(\"Deux éclairs pour le prix d'un\"):contains(\"Jusqu'au\"):contains('2 restant(s)')",
        },
        {
            content: "No reservation yet",
            trigger: "h4:contains('Mes réservations') + .alert:contains(\"Aucune réservation pour l'instant.\")",
        },
        {
            content: "Reserve the deal",
            trigger: ".o_loyalty_deal button:contains('Réserver')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The deal is reserved",
            trigger: ".o_loyalty_deal .badge:contains('Réservé')",
        },
        {
            content: "The reservation code is listed",
            trigger:
                "table:has(th:contains('Bon plan')):has(th:contains('Statut')) .o_loyalty_reservation_code",
        },
        {
            content: "Back to the card",
            trigger: ".breadcrumb-item a[href='/my/loyalty']:contains('Carte de fidélité')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Find member shops",
            trigger: "a[href='/loyalty/shops']:contains('Trouver un commerçant adhérent')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The directory is in French",
            trigger: ".o_loyalty_directory h1:contains('Commerçants adhérents')",
        },
        {
            content: "The holder's way back to the card",
            trigger: ".o_loyalty_directory a[href='/my/loyalty']:contains('Ma carte de fidélité')",
        },
        {
            content: "The shop is listed, with its map link",
            trigger: ".o_loyalty_shop_card:contains('Tour Bakery') a:contains('Voir sur le plan')",
        },
    ],
});

registry.category("web_tour.tours").add("loyalty_portal_visitor_journey_fr", {
    url: "/loyalty/shops",
    steps: () => [
        {
            content: "The public directory is in French",
            trigger: ".o_loyalty_directory h1:contains('Commerçants adhérents')",
        },
        {
            content: "Its search form too",
            trigger:
                "form:has(input[name='search'][placeholder='Commerce ou ville']):has(option:contains('Toutes les catégories')) button:contains('Rechercher')",
        },
        {
            content: "The shop is listed",
            trigger: ".o_loyalty_shop_card:contains('Tour Bakery') a:contains('Voir sur le plan')",
        },
        {
            content: "Visitors are invited to open their account",
            trigger:
                ".o_loyalty_signup_banner:contains(\"Procurez-vous votre carte chez l'un des commerçants adhérents\") a.o_loyalty_signup_link:contains('Ouvrir mon compte')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The sign-up page is in French",
            trigger:
                ".o_loyalty_signup:has(h1:contains('Ouvrir le compte de ma carte')):contains('Saisissez le numéro inscrit sur votre carte')",
        },
        {
            content: "Type the card number",
            trigger: ".o_loyalty_signup label[for='card_number']:contains('Numéro de carte') + input#card_number",
            run: "edit 2990000001238",
        },
        {
            content: "Ask for the link",
            trigger: ".o_loyalty_signup button:contains(\"M'envoyer le lien\")",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The answer is the neutral one, in French",
            trigger:
                ".o_loyalty_signup_answer:contains(\"Si cette carte permet d'ouvrir un compte, nous avons envoyé un lien\")",
        },
        {
            content: "and the holder can sign in afterwards",
            trigger: ".o_loyalty_signup a[href='/web/login?redirect=/my/loyalty']:contains('Se connecter')",
        },
    ],
});
