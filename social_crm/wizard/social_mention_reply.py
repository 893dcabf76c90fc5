from odoo import api, fields, models
from odoo.exceptions import UserError


class SocialMentionReply(models.TransientModel):
    """Compose the answer to a mention, from a template or by hand.

    "Send" posts it from the company's account on the network (``social.mention.reply``, delivered
    by a job); "Record reply" keeps an answer typed on the network itself, for networks without an
    account. Opened on a failed or rejected reply (``outbound_id``), it corrects that reply's text and sends
    it again (submits it again, when replies need approval). A new reply to a mention someone answered
    since the composer opened is refused (``seen_replied_at``).
    """

    _name = "social.mention.reply"
    _description = "Reply to a Social Mention"

    mention_id = fields.Many2one(comodel_name="social.mention", required=True,
                                 ondelete="cascade")
    outbound_id = fields.Many2one(comodel_name="social.mention", string="Failed Reply", ondelete="cascade",
                                  readonly=True)
    network = fields.Selection(related="mention_id.network")
    company_id = fields.Many2one(related="mention_id.company_id")
    mention_body = fields.Text(related="mention_id.body", string="Mention Text")
    mention_url = fields.Char(related="mention_id.url", string="Post")
    mention_author = fields.Char(related="mention_id.author_handle", string="Author")
    account_id = fields.Many2one(
        comodel_name="social.account", string="Answer From", compute="_compute_account_id", store=True,
        readonly=False, precompute=True,
        domain="[('network', '=', network), ('company_id', '=', company_id), ('state', '=', 'connected')]")
    template_id = fields.Many2one(
        comodel_name="social.reply.template", compute="_compute_template_id", store=True, readonly=False,
        precompute=True, domain="['|', ('network', '=', False), ('network', '=', network)]",
        help="The template that suits the mention best is proposed: a buying signal calls for an answer to a "
             "question, a negative mention for an apology, a positive one for thanks.")
    body = fields.Text(string="Reply", compute="_compute_body", store=True, readonly=False, precompute=True)
    seen_replied_at = fields.Datetime(
        string="Answered On When Opened", compute="_compute_seen_replied_at", store=True, readonly=False,
        precompute=True, help="The mention's last answer when the composer opened: a reply to a mention "
                              "someone answered since is refused.")
    preview = fields.Text(compute="_compute_length", help="The text as it will be posted.")
    reply_length = fields.Integer(compute="_compute_length", string="Length")
    max_length = fields.Integer(compute="_compute_length", string="Limit")
    remaining = fields.Integer(compute="_compute_length", help="Characters left, as the network counts them.")
    needs_approval = fields.Boolean(compute="_compute_needs_approval",
                                    help="The reply waits for a manager's approval before it is posted.")

    @api.depends("mention_id")
    def _compute_account_id(self):
        for wizard in self:
            mention = wizard.mention_id
            account = wizard.outbound_id.account_id or mention.source_id.account_id
            if not account and mention:
                account = self.env["social.account"]._account_for(mention.network, mention.company_id)
            wizard.account_id = account.filtered(lambda acc: acc.state == "connected")

    @api.depends("mention_id")
    @api.depends_context("uid")
    def _compute_needs_approval(self):
        self.needs_approval = self.env["social.mention"]._reply_needs_approval()

    @api.depends("mention_id")
    def _compute_template_id(self):
        for wizard in self:
            mention = wizard.mention_id
            # a mention answered already, or a reply being corrected, keeps its text
            if not mention or wizard.outbound_id or mention.reply_body or not mention._reply_purpose():
                wizard.template_id = wizard.template_id
                continue
            best = self.env["social.reply.template"]._rank_for(mention)[:1]
            wizard.template_id = best if best.purpose == mention._reply_purpose() else False

    @api.depends("mention_id")
    def _compute_seen_replied_at(self):
        for wizard in self:
            wizard.seen_replied_at = wizard.mention_id.replied_at

    @api.depends("template_id", "mention_id")
    def _compute_body(self):
        for wizard in self:
            if wizard.template_id and wizard.mention_id:
                wizard.body = wizard.template_id._render_body(wizard.mention_id)
            elif not wizard.body:
                wizard.body = wizard.mention_id.reply_body or False

    @api.depends("body", "account_id", "network")
    def _compute_length(self):
        Account = self.env["social.account"]
        for wizard in self:
            publisher_class = Account.new({"network": wizard.network})._get_publisher_class() \
                if wizard.network else None
            if not publisher_class or not wizard.mention_id:
                wizard.update({"preview": wizard.body, "reply_length": len(wizard.body or ""), "max_length": 0,
                               "remaining": 0})
                continue
            text = publisher_class.reply_text(wizard.body or "", wizard.mention_id._reply_parent_refs())
            length = publisher_class.length(text)
            wizard.update({"preview": text, "reply_length": length, "max_length": publisher_class.max_length or 0,
                           "remaining": (publisher_class.max_length or 0) - length})

    def action_send(self):
        """Post the reply from the chosen account: queued at once, delivered by the job in seconds.
        The next mention waiting for an answer opens (a corrected reply, sent again, stays put)."""
        self.ensure_one()
        if self.outbound_id:
            outbound = self.outbound_id
            text = self.mention_id._reply_text(self.body, outbound.account_id)
            if outbound.delivery_state == "rejected":
                outbound._resubmit_reply(text)
            else:
                outbound.sudo().write({"body": text})
                outbound.action_retry_delivery()
            return {"type": "ir.actions.act_window_close"}
        if not self.account_id:
            raise UserError(self.env._(
                "Choose the account to answer from, or record the reply typed on the network."))
        self.mention_id.reply(self.body, account_id=self.account_id.id, seen_replied_at=self.seen_replied_at)
        return self._after_reply()

    def action_record(self):
        """Record the answer given on the network on the mention, log it in its chatter and close its
        response activity; the next mention waiting for an answer opens."""
        self.ensure_one()
        body = (self.body or "").strip()
        if not body:
            raise UserError(self.env._("Write the reply before recording it."))
        self.mention_id._check_not_answered_since(self.seen_replied_at)
        self.mention_id._record_reply(body, self.env._("Reply recorded:"))
        return self._after_reply()

    def _after_reply(self):
        """Where the user goes once the reply is given: the next mention waiting for an answer, or
        back where the composer was opened from when it asked so (context ``social_reply_close``:
        the overview, which shows what is left)."""
        if self.env.context.get("social_reply_close"):
            return {"type": "ir.actions.act_window_close"}
        return self.mention_id._action_open_next_unanswered()
