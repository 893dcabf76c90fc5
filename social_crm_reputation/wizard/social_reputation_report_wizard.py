from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SocialReputationReportWizard(models.TransientModel):
    """Period, company and optionally product of the printable "Reputation report"."""

    _name = "social.reputation.report.wizard"
    _description = "Reputation Report"

    date_from = fields.Date(string="From", required=True,
                            default=lambda self: fields.Date.context_today(self) - timedelta(days=29))
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    company_id = fields.Many2one(comodel_name="res.company", required=True,
                                 default=lambda self: self.env.company,
                                 domain=lambda self: [("id", "in", self.env.companies.ids)])
    product_id = fields.Many2one(comodel_name="product.template", 
                                 domain="[('company_id', 'in', (company_id, False))]",
                                 help="Only the mentions of this product; empty: every mention.")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._(
                    "The report period must start (%(start)s) on or before its end (%(end)s).",
                    start=wizard.date_from, end=wizard.date_to))

    def action_print(self):
        self.ensure_one()
        return self.env.ref("social_crm_reputation.action_report_reputation").report_action(self)
