from . import test_voucher_ledger
from . import test_voucher_settlement
from . import test_voucher_http
from . import test_voucher_pos
from . import test_voucher_tour
from . import test_voucher_concurrency
from . import test_voucher_benchmark
from . import test_voucher_french
