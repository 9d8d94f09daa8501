from . import controllers
from . import models
from . import wizard


def _post_init_hook(env):
    """Create the settlement journals and accounts of companies with a chart."""
    for company in env["res.company"].search([("chart_template", "!=", False)]):
        company._loyalty_ensure_accounting()
