from . import terminal_api
from . import terminal_screen
