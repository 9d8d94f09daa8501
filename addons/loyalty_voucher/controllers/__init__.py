from . import portal
from . import voucher_api
from . import voucher_balance
