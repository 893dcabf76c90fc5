from odoo import fields, models
from odoo.tools import SQL

LATEST_MENTIONS = 5


class ResPartner(models.Model):
    _inherit = "res.partner"

    social_mention_count = fields.Integer(
        compute="_compute_social_mention_count", string="Social Mention Count",
        groups="social_crm.social_crm_group_user")
    social_latest_mention_ids = fields.Many2many(
        comodel_name="social.mention", compute="_compute_social_latest_mention_ids", string="Latest Mentions",
        groups="social_crm.social_crm_group_user")

    def _compute_social_mention_count(self):
        counts = dict(self.env["social.mention"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.social_mention_count = counts.get(partner, 0)

    def _compute_social_latest_mention_ids(self):
        """The latest mentions of each partner: one query ranks them, one search applies the access rules."""
        Mention = self.env["social.mention"]
        partner_ids = [pid for pid in self.ids if pid]
        latest = {}
        if partner_ids:
            Mention.flush_model(["partner_id", "posted_at"])
            rows = self.env.execute_query(SQL("""
                SELECT id FROM (
                    SELECT id, ROW_NUMBER() OVER (PARTITION BY partner_id ORDER BY posted_at DESC, id DESC) AS rank
                      FROM social_mention
                     WHERE partner_id = ANY(%s)
                ) ranked WHERE rank <= %s
            """, partner_ids, LATEST_MENTIONS))
            mentions = Mention.search_fetch([("id", "in", [row[0] for row in rows])], ["partner_id"])
            for mention in mentions:  # already in the order of the model: latest first
                latest.setdefault(mention.partner_id.id, []).append(mention.id)
        for partner in self:
            partner.social_latest_mention_ids = [fields.Command.set(latest.get(partner._origin.id, []))]

    def action_view_social_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
