from . import test_voucher_ledger
