from . import controllers
from . import models
from . import report
from . import wizard


def _post_init_hook(env):
    """Create the voucher accounts of companies with a chart of accounts."""
    for company in env["res.company"].search([("chart_template", "!=", False)]):
        company._loyalty_voucher_ensure_accounting()
