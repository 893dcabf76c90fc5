from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


class SocialMentionReply(models.TransientModel):
    """Compose the answer to a mention, from a template or by hand, and record it on the mention.

    Nothing is posted to the network from here: the user copies the text, opens the post (its link
    is in the composer) and answers it there; "Record reply" keeps what was answered.
    """

    _name = "social.mention.reply"
    _description = "Reply to a Social Mention"

    mention_id = fields.Many2one(comodel_name="social.mention", required=True,
                                 ondelete="cascade")
    network = fields.Selection(related="mention_id.network")
    mention_body = fields.Text(related="mention_id.body", string="Mention Text")
    mention_url = fields.Char(related="mention_id.url", string="Post")
    template_id = fields.Many2one(
        comodel_name="social.reply.template", 
        domain="['|', ('network', '=', False), ('network', '=', network)]")
    body = fields.Text(string="Reply", compute="_compute_body", store=True, readonly=False, precompute=True)

    @api.depends("template_id", "mention_id")
    def _compute_body(self):
        for wizard in self:
            if wizard.template_id and wizard.mention_id:
                wizard.body = wizard.template_id._render_body(wizard.mention_id)
            elif not wizard.body:
                wizard.body = wizard.mention_id.reply_body or False

    def action_record(self):
        """Record the answer given on the network on the mention, log it in its chatter and close its
        response activity."""
        self.ensure_one()
        mention = self.mention_id
        body = (self.body or "").strip()
        if not body:
            raise UserError(self.env._("Write the reply before recording it."))
        mention.write({"reply_body": body, "replied_at": fields.Datetime.now(), "state": "answered"})
        heading = self.env._("Reply recorded:")
        # plaintext2html escapes the text: markup typed in the reply is shown, never interpreted
        mention.message_post(body=Markup("<p>%s</p>%s") % (heading, plaintext2html(body)),
                             subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
