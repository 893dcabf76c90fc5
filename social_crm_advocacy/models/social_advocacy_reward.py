from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .social_advocacy_action import MAX_POINTS

# Loyalty programmes whose cards are handed to one customer.
COUPON_PROGRAM_TYPES = ("coupons", "gift_card", "ewallet", "next_order_coupons")


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
    company_id = fields.Many2one(comodel_name="res.company", index=True,
                                 default=lambda self: self.env.company)
    # Loyalty app: an approved redemption issues a real coupon (loyalty.card) of this programme.
    loyalty_program_id = fields.Many2one(
        comodel_name="loyalty.program", string="Coupon Programme", ondelete="restrict",
        domain=[("program_type", "in", COUPON_PROGRAM_TYPES)],
        help="When set, approving a redemption issues the advocate a coupon of this programme.")
    loyalty_points = fields.Float(
        string="Coupon Value", default=1.0,
        help="Points put on the issued coupon: uses for a coupon, amount for a gift card or eWallet.")

    @api.constrains("points_cost")
    def _check_points_cost(self):
        for reward in self:
            if not 0 < reward.points_cost <= MAX_POINTS:
                raise ValidationError(self.env._(
                    "Reward %(reward)s: the cost must be between 1 and %(max)s points (got %(cost)s).",
                    reward=reward.name, max=MAX_POINTS, cost=reward.points_cost))

    @api.constrains("loyalty_program_id", "loyalty_points")
    def _check_loyalty_points(self):
        for reward in self.filtered("loyalty_program_id"):
            if reward.loyalty_points <= 0:
                raise ValidationError(self.env._(
                    "Reward %(reward)s: the coupon value must be positive (got %(points)s).",
                    reward=reward.name, points=reward.loyalty_points))
