from . import directory
from . import portal
from . import signup
