from . import models


def _post_init_hook(env):
    """Shops already in the network joined it when they were recorded."""
    env.cr.execute(
        "UPDATE loyalty_network_merchant SET join_date = create_date::date WHERE join_date IS NULL"
    )
