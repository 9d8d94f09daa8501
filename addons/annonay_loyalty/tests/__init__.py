from . import test_money_rules
from . import test_ledger
from . import test_forfeit
from . import test_access_rights
from . import test_terminal
from . import test_concurrency
from . import test_workspace
