from . import loyalty_network_card_generate
from . import loyalty_network_wallet_adjust
