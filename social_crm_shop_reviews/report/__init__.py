from . import social_review_agreement
