from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .social_advocacy_action import MAX_POINTS


class SocialAdvocacyReward(models.Model):
    """An item of the rewards catalogue that advocates spend their points on."""

    _name = "social.advocacy.reward"
    _description = "Advocacy Reward"
    _order = "sequence, points_cost, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    reward_type = fields.Selection(
        selection=[("coupon", "Discount Coupon"), ("gift", "Gift"), ("experience", "Experience"),
                   ("donation", "Donation")],
        string="Type", required=True, default="gift")
    points_cost = fields.Integer(string="Cost in Points", required=True)
    company_id = fields.Many2one(comodel_name="res.company", string="Company", index=True,
                                 default=lambda self: self.env.company)

    @api.constrains("points_cost")
    def _check_points_cost(self):
        for reward in self:
            if not 0 < reward.points_cost <= MAX_POINTS:
                raise ValidationError(self.env._(
                    "Reward %(reward)s: the cost must be between 1 and %(max)s points (got %(cost)s).",
                    reward=reward.name, max=MAX_POINTS, cost=reward.points_cost))
