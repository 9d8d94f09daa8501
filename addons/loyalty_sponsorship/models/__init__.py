from . import loyalty_network_sponsorship
from . import loyalty_network_entry
from . import loyalty_network_wallet
from . import loyalty_network_settlement
from . import loyalty_network_merchant
from . import res_company
from . import res_config_settings
from . import loyalty_network_legal_limit
