from . import api_v1
