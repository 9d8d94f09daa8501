from . import loyalty_network_entry_recap
