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
            content: "Only wallet payments",
            trigger: "a[href='/my/loyalty?filterby=purchases']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the purchase",
            trigger: "a[href^='/my/loyalty/history/']",
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
