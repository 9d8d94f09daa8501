import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("loyalty_portal_holder_journey", {
    url: "/my",
    steps: () => [
        {
            content: "Open my loyalty card",
            trigger: "a[href='/my/loyalty']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The wallet shows the balance",
            trigger: ".o_loyalty_wallet .o_loyalty_balance:contains('6.00')",
        },
        {
            content: "The card is shown as a barcode the till can scan",
            trigger: ".o_loyalty_card_barcode img.o_loyalty_barcode_ean13[src*='barcode/ean13']",
            async run() {
                await this.anchor.decode();
                if (!this.anchor.naturalWidth) {
                    throw new Error("The barcode image did not load.");
                }
            },
        },
        {
            content: "and as a QR code",
            trigger: ".o_loyalty_card_barcode img.o_loyalty_barcode_qr[src*='barcode/qr']",
            async run() {
                await this.anchor.decode();
                if (!this.anchor.naturalWidth) {
                    throw new Error("The QR code image did not load.");
                }
            },
        },
        {
            content: "The history lists the opening fee",
            trigger: ".o_loyalty_history_table td:contains('Account Opening Fee')",
        },
        {
            content: "Only purchase credits",
            trigger: ".o_loyalty_history_filters a[href='/my/loyalty?filterby=earning']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The history lists the purchases only",
            trigger: ".o_loyalty_history_table:not(:has(td:contains('Account Opening Fee'))) td:contains('Purchase Credit')",
        },
        {
            content: "Open the purchase",
            trigger: ".o_loyalty_history_table a[href^='/my/loyalty/history/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The operation shows the purchase",
            trigger: "dd:contains('100.00')",
        },
        {
            content: "Back to the card",
            trigger: "a[href='/my/loyalty']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Find member shops",
            trigger: "a[href='/loyalty/shops']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The directory lists the shop",
            trigger: ".o_loyalty_shop_card:contains('Tour Bakery')",
        },
    ],
});
