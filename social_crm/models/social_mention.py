from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import create_index, drop_index, make_index_name


MENTION_STATES = [
    ("new", "New"),
    ("to_answer", "To Answer"),
    ("answered", "Answered"),
    ("escalated", "Escalated"),
    ("ignored", "Ignored"),
]


class SocialMention(models.Model):
    """Something said about the brand on a network, a feed or a pushed webhook, matched to its author.

    Mentions arrive in batches through :meth:`ingest` (see ``social_mention_ingest.py``): this
    table grows fast and for ever, hence the indexes on every column the inbox filters on.
    """

    _name = "social.mention"
    _description = "Social Mention"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.network.mixin"]
    _order = "posted_at desc, id desc"
    _rec_name = "author_handle"

    # source_id leads the (source_id, posted_at) index, which serves its lookups: no index of its
    # own. Network has a handful of values: none either.
    source_id = fields.Many2one(
        comodel_name="social.source", string="Source", required=True, ondelete="restrict")
    network = fields.Selection(required=True)
    external_id = fields.Char(string="External ID", required=True, readonly=True,
                              help="Identifier of the post on its network: a mention is stored once per source.")
    profile_id = fields.Many2one(comodel_name="social.profile", string="Author Profile", index=True,
                                 ondelete="set null")
    partner_id = fields.Many2one(comodel_name="res.partner", string="Contact", index=True, ondelete="set null",
                                 tracking=True)
    author_handle = fields.Char(string="Author", required=True)
    author_name = fields.Char(string="Author Name")
    body = fields.Text(string="Text", help="Stored and shown as plain text: markup is never interpreted.")
    body_truncated = fields.Boolean(help="The text was longer than the storage limit and was cut.")
    url = fields.Char(string="URL")
    lang = fields.Char(string="Language")
    posted_at = fields.Datetime(string="Posted On", required=True, index=True, default=fields.Datetime.now)
    reach = fields.Integer(help="Followers of the author when the mention was posted.", aggregator="sum")
    parent_external_id = fields.Char(string="Reply To (External ID)", index="btree_not_null")
    parent_id = fields.Many2one(comodel_name="social.mention", string="In Reply To", index="btree_not_null",
                                ondelete="set null")
    child_ids = fields.One2many(comodel_name="social.mention", inverse_name="parent_id", string="Replies")
    state = fields.Selection(selection=MENTION_STATES, default="new", required=True, index=True, tracking=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Assigned To", index=True, tracking=True,
                              domain="[('share', '=', False)]")
    lead_id = fields.Many2one(comodel_name="crm.lead", string="Lead", index="btree_not_null", ondelete="set null",
                              tracking=True)
    reply_body = fields.Text(string="Reply", help="The answer given, as it was sent.")
    replied_at = fields.Datetime(string="Answered On", readonly=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True,
        help="The company of the source the mention was received from.")

    # External id first: ingestion looks up a batch's ids with ``external_id = ANY(...)`` alone, a
    # plan that does not depend on how many mentions the planner believes a (new) source has.
    _sql_constraints = [
        ("external_id_source_uniq", "unique(external_id, source_id)",
         "This mention was already received from this source."),
        ("reach_positive", "CHECK(reach >= 0)", "The reach cannot be negative."),
    ]

    def init(self):
        super().init()
        # a source's mentions by date: the inbox of a source, polling, per-source daily figures
        create_index(self.env.cr, "social_mention_source_posted_at_idx", self._table, ["source_id", "posted_at"])
        # every index is paid on each of the many inserts: drop those older versions made redundant
        for column in ("source_id", "network"):
            drop_index(self.env.cr, make_index_name(self._table, column), self._table)

    @api.model_create_multi
    def create(self, vals_list):
        missing = [vals for vals in vals_list if not vals.get("company_id")]
        if missing:
            sources = self.env["social.source"].browse({vals["source_id"] for vals in missing})
            company_of = {source.id: source.company_id.id for source in sources}
            for vals in missing:
                vals["company_id"] = company_of.get(vals["source_id"])
        return super().create(vals_list)

    @api.depends("author_handle", "network", "posted_at")
    def _compute_display_name(self):
        labels = dict(self._fields["network"]._description_selection(self.env))
        for mention in self:
            mention.display_name = self.env._(
                "%(author)s on %(network)s", author=mention.author_handle or "?",
                network=labels.get(mention.network, ""))

    def _set_state(self, state, allowed_from):
        wrong = self.filtered(lambda m: m.state not in allowed_from)
        if wrong:
            labels = dict(MENTION_STATES)
            raise UserError(self.env._(
                "%(mention)s is %(state)s: it cannot become %(target)s.",
                mention=wrong[0].display_name, state=labels[wrong[0].state], target=labels[state]))
        self.state = state

    def action_to_answer(self):
        self._set_state("to_answer", ("new", "escalated", "ignored"))

    def action_escalate(self):
        self._set_state("escalated", ("new", "to_answer"))

    def action_ignore(self):
        self._set_state("ignored", ("new", "to_answer", "escalated"))

    def action_reopen(self):
        self._set_state("new", ("answered", "ignored", "escalated"))

    def action_assign_to_me(self):
        self.user_id = self.env.user
