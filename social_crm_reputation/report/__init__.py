from . import report_reputation
