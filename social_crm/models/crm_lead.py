from odoo import api, fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    social_mention_ids = fields.One2many(
        comodel_name="social.mention", inverse_name="lead_id", string="Social Mentions")
    social_mention_count = fields.Integer(compute="_compute_social_mention_count")

    @api.depends("social_mention_ids")
    def _compute_social_mention_count(self):
        counts = dict(self.env["social.mention"]._read_group(
            [("lead_id", "in", self.ids)], ["lead_id"], ["__count"]))
        for lead in self:
            lead.social_mention_count = counts.get(lead, 0)

    def _social_latest_mention(self):
        """The most recent mention of this lead (empty when it has none)."""
        self.ensure_one()
        return self.env["social.mention"].search([("lead_id", "=", self.id)], limit=1, order="posted_at desc, id desc")

    def _prepare_opportunity_quotation_context(self):
        """Quotations made from the lead keep its social attribution (sale_crm already copies the UTM)."""
        context = super()._prepare_opportunity_quotation_context()
        mention = self._social_latest_mention()
        if mention:
            context["default_social_mention_id"] = mention.id
        return context

    def action_view_social_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_action")
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action
