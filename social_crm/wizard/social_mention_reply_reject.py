from odoo import fields, models


class SocialMentionReplyReject(models.TransientModel):
    """Send replies waiting for approval back to their authors, saying why."""

    _name = "social.mention.reply.reject"
    _description = "Reject Social Replies"

    reply_ids = fields.Many2many(comodel_name="social.mention", string="Replies", required=True,
                                 domain=[("direction", "=", "outbound"), ("delivery_state", "=", "to_approve")])
    reason = fields.Text(help="Told to the authors in the chatter of the mentions they answered.")

    def action_reject(self):
        self.ensure_one()
        self.reply_ids.action_reject_reply(self.reason)
        return {"type": "ir.actions.act_window_close"}
