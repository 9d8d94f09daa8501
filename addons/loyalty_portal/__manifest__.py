{
    "name": "Loyalty Network: Cardholder Portal",
    "summary": "Cardholder portal (card, wallet, history, consents, data, erasure) and the "
    "public member directory.",
    "version": "19.0.1.0.0",
    "category": "Sales/Loyalty",
    "license": "LGPL-3",
    "author": "Annonay+ loyalty network",
    "website": "https://github.com/annonay-plus/loyalty-network",
    "depends": ["annonay_loyalty", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/loyalty_network_erasure_request_views.xml",
        "views/loyalty_portal_templates.xml",
        "views/loyalty_directory_templates.xml",
        "views/loyalty_signup_templates.xml",
        "views/loyalty_operation_templates.xml",
    ],
    "assets": {
        "web.assets_tests": ["loyalty_portal/static/tests/tours/*.js"],
    },
    "installable": True,
}
