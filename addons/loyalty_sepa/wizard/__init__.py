from . import loyalty_network_settlement_run
