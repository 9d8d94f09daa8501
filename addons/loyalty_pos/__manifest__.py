{
    "name": "Loyalty Network: Point of Sale",
    "summary": "Odoo POS: card on the order, holder search, credit at order sync, wallet "
    "payment method, refunds, receipt lines.",
    "version": "19.0.1.0.0",
    "category": "Sales/Point of Sale",
    "license": "LGPL-3",
    "author": "Annonay+ loyalty network",
    "website": "https://github.com/annonay-plus/loyalty-network",
    "depends": ["annonay_loyalty", "point_of_sale"],
    "data": [
        "data/barcode_rule_data.xml",
        "views/pos_config_views.xml",
    ],
    "demo": ["demo/loyalty_pos_demo.xml"],
    "assets": {
        "point_of_sale._assets_pos": [
            "loyalty_pos/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "loyalty_pos/static/tests/tours/**/*",
        ],
    },
    "installable": True,
}
