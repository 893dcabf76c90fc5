from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    advocacy_referrer_id = fields.Many2one(
        comodel_name="res.partner", string="Referring Advocate", index="btree_not_null", tracking=True,
        ondelete="set null", help="The advocate who brought this customer; passed on to the quotations.")

    def _prepare_opportunity_quotation_context(self):
        context = super()._prepare_opportunity_quotation_context()
        if self.advocacy_referrer_id:
            context["default_advocacy_referrer_id"] = self.advocacy_referrer_id.id
        return context
