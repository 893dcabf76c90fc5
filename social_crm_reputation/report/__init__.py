from . import social_agreement_mixin
from . import report_reputation
from . import social_sentiment_agreement
