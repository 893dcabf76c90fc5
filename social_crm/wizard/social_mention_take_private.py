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
        # The blacklists are readable by administrators only: they are read here to say "no", the
        # entries themselves are not shown.
        partners = self.mention_id.partner_id
        emails = {email for email in partners.mapped("email_normalized") if email}
        phones = {phone for phone in partners.mapped("phone_sanitized") if phone}
        blacklisted_emails = set(self.env["mail.blacklist"].sudo().search(
            [("email", "in", list(emails))]).mapped("email")) if emails else set()
        blacklisted_phones = set(self.env["phone.blacklist"].sudo().search(
            [("number", "in", list(phones))]).mapped("number")) if phones else set()
        for wizard in self:
            wizard.refusal_reason, wizard.recipient = wizard._refusal(blacklisted_emails, blacklisted_phones)

    def _refusal(self, blacklisted_emails, blacklisted_phones):
        """``(reason, recipient)``: the reason is False when the conversation may go private."""
        partner = self.mention_id.partner_id
        if not partner:
            return self.env._("This mention is not linked to a contact: there is nobody to write to."), False
        if partner.social_opt_out:
            return self.env._("%(partner)s opted out of social listening: do not contact them about "
                              "what they said on social media.", partner=partner.display_name), False
        if self.channel == "mastodon":
            mention = self.mention_id
            if mention.network != "mastodon":
                return self.env._("Direct messages are sent on Mastodon only."), False
            try:
                mention._reply_account()
            except UserError as error:
                return error.args[0], False
            return False, mention.author_handle
        if self.channel == "email":
            if not partner.email_normalized:
                return self.env._("%(partner)s has no valid e-mail address.", partner=partner.display_name), False
            if partner.email_normalized in blacklisted_emails:
                return self.env._("%(email)s is blacklisted: %(partner)s does not want e-mails.",
                                  email=partner.email_normalized, partner=partner.display_name), False
            return False, partner.email_normalized
        if not partner.phone_sanitized:
            return self.env._("%(partner)s has no valid phone number.", partner=partner.display_name), False
        if partner.phone_sanitized in blacklisted_phones:
            return self.env._("%(phone)s is blacklisted: %(partner)s does not want text messages.",
                              phone=partner.phone_sanitized, partner=partner.display_name), False
        return False, partner.phone_sanitized

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
