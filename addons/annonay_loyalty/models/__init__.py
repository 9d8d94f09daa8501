from . import (
    ir_http,
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
    res_currency,
    res_partner,
    res_users,
)
from . import loyalty_network_deal
from . import loyalty_network_deal_reservation
from . import loyalty_network_statistics
from . import loyalty_network_statistics_year
from . import loyalty_network_export_log
from . import loyalty_network_campaign
from . import loyalty_network_operation
from . import mailing_mailing
