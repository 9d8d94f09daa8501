import { registry } from "@web/core/registry";

/**
 * The merchant's journey at the counter (data of test_terminal_screen.py:
 * the baker serves Camille, card 2998765432106, wallet empty):
 * find by card number, preview and add a purchase of 250.00 (credit 10.00,
 * opening fee 4.00, new balance 6.00), spend 5.50, refund that wallet
 * payment from the picker, next customer.
 */
registry.category("web_tour.tours").add("annonay_loyalty_terminal_tour", {
    steps: () => [
        {
            content: "Scan the card (a USB scanner types the number)",
            trigger: ".o_loyalty_terminal_query",
            run: "edit 2998765432106",
        },
        { content: "Find", trigger: ".o_loyalty_terminal_find", run: "click" },
        {
            content: "The holder's card is shown",
            trigger: ".o_loyalty_terminal_holder:contains('Camille Terminal')",
        },
        { trigger: ".o_loyalty_terminal_balance:contains('0.00')" },
        { content: "Type the purchase", trigger: ".o_loyalty_terminal_amount", run: "edit 250" },
        { content: "Add purchase", trigger: ".o_loyalty_terminal_add", run: "click" },
        {
            content: "The preview shows the credit",
            trigger: ".o_loyalty_terminal_preview_credit:contains('10.00')",
        },
        { trigger: ".o_loyalty_terminal_preview:contains('Card opening fee')" },
        { trigger: ".o_loyalty_terminal_preview_balance:contains('6.00')" },
        { content: "Confirm", trigger: ".o_loyalty_terminal_confirm", run: "click" },
        {
            content: "The result shows the credit and the new balance",
            trigger: ".o_loyalty_terminal_result_amount:contains('10.00')",
        },
        { trigger: ".o_loyalty_terminal_result_balance:contains('6.00')" },
        { trigger: ".o_loyalty_terminal_balance:contains('6.00')" },
        { content: "Type the wallet payment", trigger: ".o_loyalty_terminal_amount", run: "edit 5.50" },
        { content: "Spend", trigger: ".o_loyalty_terminal_spend", run: "click" },
        { trigger: ".o_loyalty_terminal_preview_balance:contains('0.50')" },
        { content: "Confirm", trigger: ".o_loyalty_terminal_confirm", run: "click" },
        { trigger: ".o_loyalty_terminal_result_balance:contains('0.50')" },
        { content: "Refund", trigger: ".o_loyalty_terminal_refund", run: "click" },
        {
            content: "Pick the wallet payment in this shop's recent sales",
            trigger: ".o_loyalty_terminal_refund_choice:contains('Wallet payment'):contains('Terminal')",
            run: "click",
        },
        { trigger: ".o_loyalty_terminal_amount:value('5.50')" },
        { trigger: ".o_loyalty_terminal_preview:contains('Refund this sale?')" },
        { content: "Confirm", trigger: ".o_loyalty_terminal_confirm", run: "click" },
        { trigger: ".o_loyalty_terminal_result_balance:contains('6.00')" },
        { content: "Next customer", trigger: ".o_loyalty_terminal_next", run: "click" },
        {
            content: "The screen is ready for the next card",
            trigger: ".o_loyalty_terminal:not(:has(.o_loyalty_terminal_profile)) .o_loyalty_terminal_query",
        },
    ],
});
