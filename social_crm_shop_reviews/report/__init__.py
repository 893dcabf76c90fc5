from . import social_review_agreement
from . import report_reputation
