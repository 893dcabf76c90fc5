from odoo import api, fields, models

# what a post's mention is made of, or whether it is shown (and its comments with it)
CONTENT_FIELDS = frozenset({"content", "name"})
SHOWN_FIELDS = frozenset({"active", "state", "parent_id", "forum_id"})


class ForumPost(models.Model):
    _inherit = "forum.post"

    social_mention_ids = fields.One2many(
        comodel_name="social.mention", inverse_name="forum_post_id", string="Mentions",
        groups="base.group_user")

    @api.model_create_multi
    def create(self, vals_list):
        posts = super().create(vals_list)
        self.env["social.mention"]._social_sync_forum(posts)
        return posts

    def write(self, vals):
        result = super().write(vals)
        if (CONTENT_FIELDS | SHOWN_FIELDS) & set(vals):
            self.env["social.mention"]._social_sync_forum(self, with_comments=bool(SHOWN_FIELDS & set(vals)))
        elif "is_correct" in vals:
            self.env["social.mention"]._social_forum_reconcile_awards(self)
        return result

    def unlink(self):
        # votes and comments go with the post: their mentions and points are settled first
        self.env["social.mention"]._social_sync_forum(self, gone=True, with_comments=True)
        return super().unlink()
