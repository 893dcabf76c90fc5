from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # The customer's social reputation, one glance from the quotation (stored on the partner).
    social_reputation_score = fields.Float(related="partner_id.social_reputation_score", string="Social Reputation")
    social_reputation_evidence = fields.Integer(related="partner_id.social_reputation_evidence")
    social_reputation_trend = fields.Float(related="partner_id.social_reputation_trend")
    social_reputation_score_text = fields.Char(related="partner_id.social_reputation_score_text")
    social_reputation_summary = fields.Char(related="partner_id.social_reputation_summary")

    def action_view_social_reputation_mentions(self):
        self.ensure_one()
        return self.partner_id.action_view_social_reputation_mentions()
