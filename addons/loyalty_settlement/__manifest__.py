{
    "name": "Loyalty Network: Settlement",
    "summary": "Monthly settlement with every merchant (contributions, network fee, wallet "
    "payments), wallet liability accounting, XLSX statements and tie-out checks.",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Annonay+ loyalty network",
    "website": "https://github.com/annonay-plus/loyalty-network",
    "depends": ["annonay_loyalty", "account", "l10n_fr_account"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/loyalty_settlement_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "views/loyalty_network_settlement_views.xml",
        "wizard/loyalty_network_settlement_run_views.xml",
        "views/loyalty_network_settlement_check_views.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
