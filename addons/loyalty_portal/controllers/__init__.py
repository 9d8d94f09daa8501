from . import directory
from . import portal
from . import signup
from . import operation
from . import portal_operation
