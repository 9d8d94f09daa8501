from . import test_sponsorship_credit
from . import test_sponsorship_concurrency
from . import test_sponsorship_settlement
from . import test_legal_limit
from . import test_sponsorship_access
