{
    "name": "Loyalty Network: SEPA Settlement",
    "summary": "Membership agreements with IBAN and SEPA mandate, VIES-checked members, "
    "direct debits (pain.008) and credit transfers (pain.001) of the settlements, "
    "weekly cadence, CAMT.053 bank returns reconciled by end-to-end id.",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Annonay+ loyalty network",
    "website": "https://github.com/annonay-plus/loyalty-network",
    "depends": [
        "loyalty_settlement",
        "loyalty_portal",
        "base_vat",
        "account_banking_sepa_direct_debit",
        "account_banking_sepa_credit_transfer",
        "account_statement_import_camt",
    ],
    "data": [
        "security/loyalty_sepa_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/loyalty_network_membership_views.xml",
        "views/loyalty_sepa_return_views.xml",
        "views/loyalty_network_settlement_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/loyalty_sepa_demo.xml"],
    "installable": True,
}
