from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # The customer's social reputation, one glance from the lead (stored on the partner).
    social_reputation_score = fields.Float(related="partner_id.social_reputation_score", string="Social Reputation")
    social_reputation_evidence = fields.Integer(related="partner_id.social_reputation_evidence")
    social_reputation_trend = fields.Float(related="partner_id.social_reputation_trend")
    social_reputation_score_text = fields.Char(related="partner_id.social_reputation_score_text")
    social_reputation_summary = fields.Char(related="partner_id.social_reputation_summary")
    # Segments of the customer (value × sentiment), searchable from the lead's filters.
    social_customer_value_currency_id = fields.Many2one(related="partner_id.currency_id",
                                                        string="Customer Value Currency")
    social_customer_value = fields.Monetary(related="partner_id.social_customer_value",
                                            currency_field="social_customer_value_currency_id")
    social_high_value_negative = fields.Boolean(related="partner_id.social_high_value_negative")
    social_reputation_no_signal = fields.Boolean(related="partner_id.social_reputation_no_signal")

    def action_view_social_reputation_mentions(self):
        self.ensure_one()
        return self.partner_id.action_view_social_reputation_mentions()
