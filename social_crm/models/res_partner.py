from odoo import api, fields, models
from odoo.tools import create_index


class ResPartner(models.Model):
    _inherit = "res.partner"

    social_profile_ids = fields.One2many(
        comodel_name="social.profile", inverse_name="partner_id", string="Social Profiles", groups="base.group_user")
    social_profile_count = fields.Integer(
        compute="_compute_social_profile_count", string="Social Profile Count", groups="base.group_user")
    social_opt_out = fields.Boolean(
        string="Social Listening Opt-out", tracking=True, groups="base.group_user",
        help="This contact asked not to be listened to on social media: no mention is linked to them.")

    def init(self):
        super().init()
        # Mention authors are matched on e-mail and phone by indexed equality, never by scanning.
        create_index(self.env.cr, "res_partner_email_normalized_social_idx", self._table,
                     ["email_normalized"], where="email_normalized IS NOT NULL")
        create_index(self.env.cr, "res_partner_phone_sanitized_social_idx", self._table,
                     ["phone_sanitized"], where="phone_sanitized IS NOT NULL")

    @api.depends("social_profile_ids")
    def _compute_social_profile_count(self):
        counts = dict(self.env["social.profile"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]))
        for partner in self:
            partner.social_profile_count = counts.get(partner, 0)

    def action_view_social_profiles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_profile_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_social_erase(self):
        """Right to erasure: remove this contact's social data, keep a content-free trace."""
        self.ensure_one()
        counts = self._social_erase()
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.message_post(body=self.env._("Social data erased: %(summary)s.", summary=summary or self.env._("nothing")))
        return True

    def _social_erase(self):
        """Delete the social records of these partners; answer ``{label: count}`` for the log.

        Addons holding more social data per partner (mentions, scores, …) extend this.
        """
        profiles = self.env["social.profile"].with_context(active_test=False).search(
            [("partner_id", "in", self.ids)])
        suggestions = self.env["social.merge.suggestion"].search(
            ["|", ("profile_id", "in", profiles.ids),
             "|", ("partner_a_id", "in", self.ids), ("partner_b_id", "in", self.ids)])
        counts = {self.env._("social profiles"): len(profiles), self.env._("merge suggestions"): len(suggestions)}
        suggestions.unlink()
        profiles.unlink()
        return counts
