from . import social_mention_sla_report
