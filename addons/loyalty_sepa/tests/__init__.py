from . import test_sepa_files
from . import test_bank_returns
from . import test_membership
from . import test_cadence
from . import test_sepa_security
from . import test_translations
from . import test_pending_credit
