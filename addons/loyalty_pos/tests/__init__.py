from . import test_install
from . import test_pos_sync
from . import test_pos_tour
from . import test_pos_sync_benchmark
from . import test_pos_preview
