from . import test_install
from . import test_settlement
from . import test_first_use
from . import test_settlement_periods
from . import test_staff_tour
