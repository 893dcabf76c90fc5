from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


class SocialMentionReply(models.TransientModel):
    """Compose the answer to a mention, from a template or by hand, and record it on the mention.

    Nothing is posted to the network from here: the user copies the text and posts it there.
    """

    _name = "social.mention.reply"
    _description = "Reply to a Social Mention"

    mention_id = fields.Many2one(comodel_name="social.mention", string="Mention", required=True,
                                 ondelete="cascade")
    network = fields.Selection(related="mention_id.network")
    mention_body = fields.Text(related="mention_id.body", string="Mention Text")
    template_id = fields.Many2one(
        comodel_name="social.reply.template", string="Template",
        domain="['|', ('network', '=', False), ('network', '=', network)]")
    body = fields.Text(string="Reply", compute="_compute_body", store=True, readonly=False, precompute=True)

    @api.depends("template_id", "mention_id")
    def _compute_body(self):
        for wizard in self:
            if wizard.template_id and wizard.mention_id:
                wizard.body = wizard.template_id._render_body(wizard.mention_id)
            elif not wizard.body:
                wizard.body = wizard.mention_id.reply_body or False

    def action_send(self):
        """Record the answer on the mention, log it in its chatter and close its response activity."""
        self.ensure_one()
        mention = self.mention_id
        body = (self.body or "").strip()
        if not body:
            raise UserError(self.env._("Write the reply before recording it."))
        mention.write({"reply_body": body, "replied_at": fields.Datetime.now(), "state": "answered"})
        labels = dict(mention._fields["network"]._description_selection(self.env))
        heading = self.env._("Reply sent on %(network)s:", network=labels.get(mention.network, mention.network))
        # plaintext2html escapes the text: markup typed in the reply is shown, never interpreted
        mention.message_post(body=Markup("<p>%s</p>%s") % (heading, plaintext2html(body)),
                             subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
