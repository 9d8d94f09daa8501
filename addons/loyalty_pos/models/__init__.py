from . import barcode_rule
from . import pos_config
from . import pos_order
from . import pos_payment_method
from . import res_config_settings
