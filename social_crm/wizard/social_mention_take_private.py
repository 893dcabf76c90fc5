from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


class SocialMentionTakePrivate(models.TransientModel):
    """Continue a public conversation privately, by e-mail or SMS, with the mention's contact.

    Refused, with the reason shown, where the contact cannot or must not be reached that way:
    no contact, opted out of social listening, no address or number, or blacklisted.
    """

    _name = "social.mention.take.private"
    _description = "Take a Social Mention Private"

    mention_id = fields.Many2one(comodel_name="social.mention", required=True,
                                 ondelete="cascade")
    partner_id = fields.Many2one(related="mention_id.partner_id", string="Contact")
    channel = fields.Selection(
        selection=[("email", "E-mail"), ("sms", "SMS"), ("mastodon", "Mastodon direct message")], required=True,
        default="email", help="Mastodon direct message: a reply only the author and the mentioned accounts see, "
                              "posted from the company's Mastodon account.")
    recipient = fields.Char(compute="_compute_refusal_reason", string="To")
    subject = fields.Char(compute="_compute_subject", store=True, readonly=False, precompute=True)
    body = fields.Text(string="Message")
    refusal_reason = fields.Text(compute="_compute_refusal_reason",
                                 help="Why this contact cannot be reached through this channel.")

    @api.depends("mention_id")
    def _compute_subject(self):
        for wizard in self:
            if not wizard.subject and wizard.mention_id:
                wizard.subject = self.env._("About your message on %(network)s", network=dict(
                    wizard.mention_id._fields["network"]._description_selection(self.env)).get(
                        wizard.mention_id.network, ""))

    @api.depends("mention_id", "channel")
    def _compute_refusal_reason(self):
        blacklisted_emails, blacklisted_phones = self.mention_id.partner_id._social_private_blacklists()
        for wizard in self:
            wizard.refusal_reason, wizard.recipient = wizard._refusal(blacklisted_emails, blacklisted_phones)

    def _refusal(self, blacklisted_emails, blacklisted_phones):
        """``(reason, recipient)``: the reason is False when the conversation may go private. The
        contact's consent is judged by ``res.partner._social_private_refusal``; a Mastodon direct
        message needs the mention's network and account besides."""
        partner = self.mention_id.partner_id
        if not partner:
            return self.env._("This mention is not linked to a contact: there is nobody to write to."), False
        reason, recipient = partner._social_private_refusal(self.channel, blacklisted_emails, blacklisted_phones)
        if reason or self.channel != "mastodon":
            return reason, recipient
        mention = self.mention_id
        if mention.network != "mastodon":
            return self.env._("Direct messages are sent on Mastodon only."), False
        try:
            mention._reply_account()
        except UserError as error:
            return error.args[0], False
        return False, mention.author_handle

    def action_send(self):
        """Send the message to the contact and note on the mention that the conversation went private."""
        self.ensure_one()
        if self.refusal_reason:
            raise UserError(self.refusal_reason)
        body = (self.body or "").strip()
        if not body:
            raise UserError(self.env._("Write the message before sending it."))
        partner = self.mention_id.partner_id
        # The message is kept on the contact's chatter (where the private conversation goes on);
        # it is sent to the contact, queued for the mail / SMS scheduled action (never sent inline).
        # sudo: posting on a contact needs the right to edit contacts, which a Social CRM user may
        # lack; the user reached this contact through a mention they can access, the consent checks
        # above passed, and the message keeps the user as its author.
        partner_sudo = partner.sudo().with_context(mail_post_autofollow=False)
        author_id = self.env.user.partner_id.id
        if self.channel == "mastodon":
            self.mention_id._reply(body, visibility="direct")
        elif self.channel == "email":
            if not (self.subject or "").strip():
                raise UserError(self.env._("Write the subject of the e-mail."))
            partner_sudo.message_post(
                body=plaintext2html(body), subject=self.subject.strip(), partner_ids=partner.ids,
                author_id=author_id, message_type="comment", subtype_xmlid="mail.mt_comment", force_send=False)
            self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        else:
            partner_sudo._message_sms(
                body, partner_ids=partner.ids, sms_pid_to_number={partner.id: self.recipient},
                author_id=author_id, put_in_queue=True)
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo()._trigger()
        channel = dict(self._fields["channel"]._description_selection(self.env))[self.channel]
        self.mention_id.message_post(
            body=Markup("<p>%s</p>") % self.env._(
                "Conversation continued privately with %(partner)s by %(channel)s.",
                partner=partner.display_name, channel=channel),
            subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
