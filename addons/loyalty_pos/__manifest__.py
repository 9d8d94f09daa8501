{
    "name": "Loyalty Network: Point of Sale",
    "summary": "Odoo POS: card on the order, enrolment, credit on order sync, wallet as a payment method, refunds, receipt lines.",
    "version": "19.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Annonay+ loyalty network",
    "website": "https://github.com/annonay-plus/loyalty-network",
    "depends": ["annonay_loyalty", "point_of_sale"],
    "installable": True,
}
