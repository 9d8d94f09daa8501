from . import loyalty_network_erasure_request
from . import loyalty_network_signup_attempt
