from . import loyalty_network_erasure_request
from . import loyalty_network_signup_attempt
from . import res_partner
from . import res_users
from . import loyalty_network_deal
from . import loyalty_network_merchant
from . import loyalty_network_operation
