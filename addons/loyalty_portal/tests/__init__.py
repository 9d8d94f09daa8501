from . import test_install
from . import test_portal_pages
from . import test_signup
from . import test_portal_tour
from . import test_portal_french
from . import test_operation_pages
