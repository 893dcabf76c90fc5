"""Pure computation library of social_crm_reputation: no Odoo model, no database access.

``sentiment`` scores batches of mention texts with VADER; ``stats`` holds the statistics behind
reputation scores, alerts and representativeness; ``keywords`` finds which product a text is
about. Models import them as ``from odoo.addons.social_crm_reputation.lib import sentiment, stats``.
"""
from . import keywords, sentiment, stats
