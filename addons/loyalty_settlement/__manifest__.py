{
    "name": "Loyalty Network: Accounting",
    "summary": "Monthly settlement with every merchant, network fee, wallet liability, statements and reconciliation checks.",
    "version": "19.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Annonay+ loyalty network",
    "website": "https://github.com/annonay-plus/loyalty-network",
    "depends": ["annonay_loyalty", "account"],
    "installable": True,
}
