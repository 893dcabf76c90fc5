from . import social_reputation_report_wizard
from . import social_theme_change_wizard
from . import social_sentiment_engine_measure
