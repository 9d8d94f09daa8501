from . import res_company
from . import loyalty_network_entry
from . import loyalty_network_settlement
from . import loyalty_network_settlement_check
