{
    "name": "Loyalty Network: Website",
    "summary": "Cardholder portal (card, wallet, history, deals, consents) and the public member directory.",
    "version": "19.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Annonay+ loyalty network",
    "website": "https://github.com/annonay-plus/loyalty-network",
    "depends": ["annonay_loyalty", "portal"],
    "installable": True,
}
