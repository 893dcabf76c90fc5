from . import social_reputation_report_wizard
