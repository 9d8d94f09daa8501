{
    "name": "Loyalty Network: cross-addon tests",
    "summary": "Test-only module: scenarios across the suite, concurrency, replay, "
    "bad input, and the benchmarks (tag loyalty_benchmark).",
    "version": "19.0.1.0.0",
    "category": "Hidden/Tests",
    "license": "LGPL-3",
    "author": "Annonay+ loyalty network",
    "website": "https://github.com/annonay-plus/loyalty-network",
    "depends": [
        "annonay_loyalty",
        "loyalty_pos",
        "loyalty_portal",
        "loyalty_settlement",
        "loyalty_sponsorship",
        "loyalty_sepa",
        "loyalty_api",
        "loyalty_voucher",
    ],
    "installable": True,
}
