from . import money_engine
