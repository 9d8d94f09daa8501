{
    "name": "Loyalty Network: Sponsored Top-ups and Legal Limit",
    "summary": "Campaigns funded by a sponsor (town council, company) crediting a bonus on "
    "purchases within a budget, invoiced to the sponsor at settlement; the limited "
    "network's 12-month payment total and register of member shops.",
    "version": "19.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Annonay+ loyalty network",
    "website": "https://github.com/annonay-plus/loyalty-network",
    "depends": ["annonay_loyalty", "loyalty_settlement"],
    "data": [
        "security/loyalty_sponsorship_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "report/loyalty_network_settlement_reports.xml",
        "views/loyalty_network_sponsorship_views.xml",
        "views/loyalty_network_entry_views.xml",
        "views/loyalty_network_settlement_views.xml",
        "views/loyalty_network_legal_limit_views.xml",
        "views/loyalty_network_merchant_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/loyalty_sponsorship_demo.xml"],
    "post_init_hook": "_post_init_hook",
    "installable": True,
}
