from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SocialAdvocacyTier(models.Model):
    """A level of the programme reached with the points of the last 12 months."""

    _name = "social.advocacy.tier"
    _description = "Advocacy Tier"
    _order = "min_points, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    min_points = fields.Integer(string="Minimum Points", required=True,
                                help="Points earned over the last 12 months needed to reach this tier.")
    color = fields.Integer()
    partner_count = fields.Integer(compute="_compute_partner_count", string="Advocates")

    def _compute_partner_count(self):
        counts = dict(self.env["social.advocacy.standing"]._read_group(
            [("tier_id", "in", self.ids)], ["tier_id"], ["__count"]))
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    @api.model
    def _rolling_start(self):
        """Actions dated after this day count towards the rolling points (12 months)."""
        return fields.Date.context_today(self) - relativedelta(years=1)

    @api.model
    def _cron_recompute_tiers(self):
        """Daily: rolling points and tiers of every partner, in one SQL statement."""
        self.env["res.partner"]._advocacy_recompute_points(all_partners=True)

    def write(self, vals):
        result = super().write(vals)
        if {"min_points", "active"} & set(vals):
            self._cron_recompute_tiers()
        return result

    @api.constrains("min_points")
    def _check_min_points(self):
        for tier in self:
            if tier.min_points <= 0:
                raise ValidationError(self.env._(
                    "Tier %(tier)s: the minimum points must be at least 1.", tier=tier.name))
