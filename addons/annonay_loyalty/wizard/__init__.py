from . import loyalty_network_card_generate, loyalty_network_wallet_adjust
from . import loyalty_network_card_replace
from . import loyalty_network_customer_export
from . import mail_compose_message
from . import sms_composer
from . import loyalty_network_enrolment_form
