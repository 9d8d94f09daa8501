from . import test_wallet_service
