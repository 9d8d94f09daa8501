from . import loyalty_network_voucher_report
