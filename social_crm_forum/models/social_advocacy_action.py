from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import index_exists

FORUM_ACTION_TYPES = [("accepted_answer", "Accepted Answer"), ("upvote_received", "Upvote Received")]


class SocialAdvocacyAction(models.Model):
    _inherit = "social.advocacy.action"

    # uninstalled, the forum's actions stay in the balances, as manual ones
    action_type = fields.Selection(selection_add=FORUM_ACTION_TYPES,
                                   ondelete={code: "set manual" for code, _label in FORUM_ACTION_TYPES})
    forum_vote_id = fields.Many2one(
        comodel_name="forum.post.vote", index="btree_not_null", ondelete="set null",
        readonly=True, help="The upvote this action was earned by.")

    def init(self):
        result = super().init()
        # one award per vote, whatever batches score it (mentions are guarded by the ledger's own index)
        name = "social_advocacy_action_forum_vote_uniq"
        if not index_exists(self.env.cr, name):
            self.env.cr.execute(SQL("CREATE UNIQUE INDEX %s ON %s (forum_vote_id) WHERE %s", SQL.identifier(name),
                                    SQL.identifier(self._table),
                                    SQL("forum_vote_id IS NOT NULL AND action_type = 'upvote_received'")))
        return result

    def _chain_leaf(self):
        """The last action of the chain of reversals that starts at this action (itself if none)."""
        self.ensure_one()
        action = self
        while action.reversal_ids:
            action = action.reversal_ids[:1]
        return action
