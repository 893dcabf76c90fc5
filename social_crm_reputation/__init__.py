from datetime import timedelta

from odoo import fields

from . import models
from . import report
from . import wizard


def post_init_hook(env):
    """Score the mentions stored before the install and find their products, then build the series
    and the scores from them."""
    env["social.mention"]._score_all_pending()
    env["social.mention"].search([("product_id", "=", False)])._detect_products()
    env["social.reputation.daily"]._refresh_all()
    partners = env["res.partner"]
    prior = partners._social_reputation_prior(refresh=True)
    partners.browse(partners._social_reputation_due_ids(prior, full=True))._recompute_social_reputation(prior)
    # Alerts on what is news: mentions of the last two days (older ones are history).
    recent = env["social.mention"].search([("posted_at", ">=", fields.Datetime.now() - timedelta(days=2))])
    env["social.reputation.alert"]._detect_for_mentions(recent)
