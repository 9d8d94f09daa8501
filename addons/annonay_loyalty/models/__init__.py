from . import (
    loyalty_network_boost,
    loyalty_network_card,
    loyalty_network_customer,
    loyalty_network_entry,
    loyalty_network_merchant,
    loyalty_network_merchant_category,
    loyalty_network_plan,
    loyalty_network_wallet,
    res_company,
    res_config_settings,
    res_partner,
    res_users,
)
from . import loyalty_network_wallet_demo
