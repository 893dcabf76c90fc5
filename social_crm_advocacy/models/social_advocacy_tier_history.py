from odoo import fields, models


class SocialAdvocacyTierHistory(models.Model):
    """One row each time an advocate changes tier in a company; written by the set-based recompute."""

    _name = "social.advocacy.tier.history"
    _description = "Advocacy Tier Change"
    _order = "date desc, id desc"
    # the date says when; no create/write user columns to check on each of 100,000 rows
    _log_access = False

    partner_id = fields.Many2one(comodel_name="res.partner", string="Advocate", required=True, index=True,
                                 ondelete="cascade", readonly=True)
    old_tier_id = fields.Many2one(comodel_name="social.advocacy.tier", string="From Tier", ondelete="set null",
                                  readonly=True)
    tier_id = fields.Many2one(comodel_name="social.advocacy.tier", string="To Tier", ondelete="set null",
                              index=True, readonly=True)
    points = fields.Integer(string="Rolling Points", readonly=True)
    date = fields.Date(required=True, index=True, readonly=True, default=fields.Date.context_today)
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True,
                                 readonly=True, ondelete="cascade")
