from . import loyalty_network_card_generate, loyalty_network_wallet_adjust
from . import loyalty_network_terminal
from . import loyalty_network_card_replace
from . import loyalty_network_customer_export
