from odoo import api, models


class ForumPostVote(models.Model):
    _inherit = "forum.post.vote"

    @api.model_create_multi
    def create(self, vals_list):
        votes = super().create(vals_list)
        self.env["social.mention"]._social_forum_reconcile_awards(votes.post_id)
        return votes

    def write(self, vals):
        result = super().write(vals)
        if "vote" in vals or "post_id" in vals:
            self.env["social.mention"]._social_forum_reconcile_awards(self.post_id)
        return result

    def unlink(self):
        # the points of a removed upvote are reversed while the vote is still there to say which
        self.env["social.mention"]._social_forum_reconcile_awards(self.post_id, gone_votes=self)
        return super().unlink()
