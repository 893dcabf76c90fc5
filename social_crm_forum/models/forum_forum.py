from odoo import fields, models


class ForumForum(models.Model):
    _inherit = "forum.forum"

    social_source_id = fields.Many2one(
        comodel_name="social.source", string="Listened by", index="btree_not_null", ondelete="set null",
        domain="[('source_type', '=', 'forum')]", groups="social_crm.social_crm_group_user",
        help="The Social CRM source whose mentions the questions, answers and comments of this forum are "
             "(its team, responsible and company): empty, the forum is not listened to.")

    def write(self, vals):
        listened = {forum: forum.sudo().social_source_id for forum in self} if "social_source_id" in vals else {}
        # archiving a forum archives its posts, whose mentions follow; a forum is deleted only once
        # its posts are (Odoo restricts it), each settled as it is deleted
        result = super().write(vals)
        if "social_source_id" in vals:
            self.filtered(lambda forum: forum.sudo().social_source_id
                          and forum.sudo().social_source_id != listened[forum])._social_sync_posts()
        return result

    def _social_sync_posts(self):
        """Bring the posts of these forums (and their comments) in, as mentions of their source."""
        posts = self.env["forum.post"].sudo().with_context(active_test=False).search([("forum_id", "in", self.ids)])
        self.env["social.mention"]._social_sync_forum(posts, with_comments=True)
