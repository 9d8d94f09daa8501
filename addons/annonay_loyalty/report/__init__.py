from . import loyalty_network_entry_recap
from . import loyalty_network_shop_documents
