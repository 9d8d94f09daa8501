from . import loyalty_api_key_generate
