from . import social_mention_csat_report
