import { registry } from "@web/core/registry";

/**
 * The association's staff, in French (data of test_staff_tour.py: the
 * bakery "Boulangerie du Tour", 250.00 of purchases last December, settled
 * at 12.50 net, and 200.00 this year): the yearly table, then the
 * bakery's settlement, whose statement is sent. Labels of annonay_loyalty
 * (no French file yet) are reached by menu xml ids and field names; the
 * French ones come from loyalty_settlement's and Odoo's translations.
 */
const year = new Date().getUTCFullYear();
const SETTLEMENT_MENU = "loyalty_settlement.loyalty_network_menu_settlement";
const SETTLEMENTS_MENU = "loyalty_settlement.loyalty_network_settlement_menu";

registry.category("web_tour.tours").add("loyalty_settlement_staff_tour", {
    steps: () => [
        {
            content: "The yearly table shows this year's network row, amounts in French",
            trigger: `.o_list_view .o_data_row:has(td[name=year]:contains('${year}')) td[name=turnover]:contains('200,00')`,
        },
        {
            content: "and last year's",
            trigger: `.o_data_row:has(td[name=year]:contains('${year - 1}')) td[name=turnover]:contains('250,00')`,
        },
        {
            content: "Odoo's interface is in French",
            trigger: ".o_searchview_input[placeholder='Rechercher…']",
        },
        {
            content: "Open the Settlement menu",
            trigger: `.o_menu_sections [data-menu-xmlid='${SETTLEMENT_MENU}']:contains('Compensation')`,
            run: "click",
        },
        {
            content: "Settlements",
            trigger: `.dropdown-item[data-menu-xmlid='${SETTLEMENTS_MENU}']:contains('Compensations')`,
            run: "click",
        },
        {
            content: "The list of settlements, with its French columns",
            trigger: ".o_breadcrumb:contains('Compensations')",
        },
        { trigger: ".o_list_view th[data-name=contribution_amount]:contains('Contribution du commerçant')" },
        { trigger: ".o_list_view th[data-name=reimbursement_amount]:contains('Remboursement des avoirs consommés')" },
        {
            content: "Open the bakery's settlement",
            trigger: ".o_data_row td[name=merchant_id]:contains('Boulangerie du Tour')",
            run: "click",
        },
        {
            content: "The form, in French",
            trigger: ".o_form_view .o_field_widget[name=net_amount]:contains('12,50')",
        },
        { trigger: ".o_form_view label:contains('Commission réseau')" },
        { trigger: ".o_form_view .o_field_widget[name=payment_state]:contains('Non payé')" },
        { trigger: ".o_form_view .oe_stat_button:contains('Opérations')" },
        { trigger: ".o-mail-Chatter-sendMessage:contains('Envoyer message')" },
        {
            content: "Send the statement",
            trigger: ".o_form_view button[name=action_send_statement]:contains('Envoyer le relevé')",
            run: "click",
        },
        {
            content: "The chatter shows the message sent to the bakery",
            trigger: ".o-mail-Message:contains('Voici la compensation carte de fidélité de Boulangerie du Tour')",
        },
        { trigger: ".o-mail-Message:contains('à régler par votre commerce')" },
        {
            content: "with the statement, its spreadsheet and the invoice attached",
            trigger: ".o-mail-Message .o-mail-AttachmentCard:contains('.xlsx')",
        },
        { trigger: ".o-mail-Message:has(.o-mail-AttachmentCard:contains('Relevé')):has(.o-mail-AttachmentCard:contains('.xlsx'))" },
        {
            content: "The three files are the settlement's attachments",
            trigger: ".o-mail-Chatter-attachFiles:contains('3')",
        },
    ],
});
