from . import test_suite_installed
from . import test_terminal_api
from . import test_replay_faults
from . import test_mixed_load
