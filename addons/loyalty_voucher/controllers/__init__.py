from . import portal
from . import voucher_api
from . import voucher_balance
from . import api_v1_voucher
