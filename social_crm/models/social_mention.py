"""Mentions: what is said about the brand on a network, a feed or a pushed webhook, matched to its
author; the inbox that answers them, the buying signals that become leads.

One pipeline creates them, whatever the way in (the form, Odoo's import, RPC ``create``, ingestion
by the webhook, the pollers and CSV imports): :meth:`SocialMention._prepare_mention_vals` completes the
values of a batch, :meth:`SocialMention._mention_after_create` does what new mentions need once stored.
Addons extend those two methods. Ingestion stores its batches with ``COPY`` rather than the ORM's
``create`` (:meth:`SocialMention._insert_mentions`), then checks the same constraints.
"""
import json
import logging
import threading
import uuid
from collections import defaultdict
from datetime import datetime, time, timedelta
from operator import itemgetter

import psycopg2.errors
import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, create_index, format_datetime, mute_logger, plaintext2html
from odoo.tools.sql import drop_index, make_index_name

from odoo.addons.bus.models.bus import channel_with_db, json_dump

from ..connectors.publish import PublishError
from ..tools.bulk import insert_records_skipping_conflicts
from ..tools.cron import trigger_cron
from ..tools.identity import NETWORK_CODES, web_url
from ..tools.items import (
    MAX_BODY_CHARS,
    MAX_ERROR_CHARS,
    MAX_ITEMS_PER_CALL,
    ItemError,
    clean_text,
    item_count,
    item_datetime,
    item_identifier,
    item_text,
    shown,
)
from .res_config_settings import OPT_OUT_POLICY, REPLY_APPROVAL, RESPONSE_TARGET_HOURS
from .social_routing_rule import MENTION_PRIORITIES

_logger = logging.getLogger(__name__)

MENTION_STATES = [
    ("new", "New"),
    ("to_answer", "To Answer"),
    ("answered", "Answered"),
    ("escalated", "Escalated"),
    ("ignored", "Ignored"),
]
# states in which a mention waits for an answer: an assigned one gets a response activity
TO_ANSWER_STATES = ("new", "to_answer")
# states in which a mention is still unanswered: its response deadline can pass
UNANSWERED_STATES = ("new", "to_answer", "escalated")
# states in which an existing response activity is kept (and follows the assignee)
KEEP_ACTIVITY_STATES = ("new", "to_answer", "escalated")
DELIVERY_STATES = [("to_approve", "To Approve"), ("rejected", "Rejected"), ("queued", "Queued"), ("sent", "Sent"),
                   ("failed", "Failed")]
PUBLISH_GROUP = "social_crm.social_crm_group_publish"
DELIVERY_BATCH = 50
MAX_DELIVERY_ATTEMPTS = 6
RETRY_BASE_SECONDS = 30  # waits of 30 s, 1, 2, 4, 8 min between attempts
MAX_RETRY_SECONDS = 6 * 3600
MEDIUM_NAMES = {"x": "X"}  # UTM medium names other than the network's label (core ships "X")
LEAD_BATCH = 500
OVERVIEW_RESPONSE_DAYS = 7  # the overview's median first response: answers of the last 7 days
OVERVIEW_NEXT = 3  # the mentions to answer next, on the overview
OVERVIEW_TEXT_CHARS = 300  # of a mention, on the overview
# who views or answers a mention: announced on its bus channel, every PRESENCE_SECONDS by each
# open form, so an announcement older than PRESENCE_TIMEOUT is of someone gone
PRESENCE_STATUSES = ("viewing", "replying", "left")
PRESENCE_SECONDS = 20
PRESENCE_TIMEOUT = 50


class SocialMention(models.Model):
    """Something said about the brand, matched to its author.

    This table grows fast and for ever, hence the indexes on every column the inbox filters on.
    """

    _name = "social.mention"
    _description = "Social Mention"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.network.mixin"]
    _order = "posted_at desc, id desc"
    _rec_name = "author_handle"

    # source_id leads the (source_id, posted_at) index, which serves its lookups: no index of its
    # own. Network has a handful of values: none either.
    source_id = fields.Many2one(
        comodel_name="social.source", required=True, ondelete="restrict")
    network = fields.Selection(required=True)
    external_id = fields.Char(string="External ID", required=True, readonly=True,
                              help="Identifier of the post on its network: a mention is stored once per source.")
    profile_id = fields.Many2one(comodel_name="social.profile", string="Author Profile", index=True,
                                 ondelete="set null")
    partner_id = fields.Many2one(comodel_name="res.partner", string="Contact", index=True, ondelete="set null",
                                 tracking=True)
    author_handle = fields.Char(string="Author", required=True)
    author_name = fields.Char()
    body = fields.Text(string="Text", help="Stored and shown as plain text: markup is never interpreted.")
    body_truncated = fields.Boolean(help="The text was longer than the storage limit and was cut.")
    url = fields.Char(string="URL")
    lang = fields.Char(string="Language")
    posted_at = fields.Datetime(string="Posted On", required=True, index=True, default=fields.Datetime.now)
    reach = fields.Integer(help="Followers of the author when the mention was posted.", aggregator="sum")
    parent_external_id = fields.Char(string="Reply To (External ID)", index="btree_not_null")
    parent_id = fields.Many2one(comodel_name="social.mention", string="In Reply To", index="btree_not_null",
                                ondelete="set null")
    parent_body = fields.Text(related="parent_id.body", string="Text Answered")
    child_ids = fields.One2many(comodel_name="social.mention", inverse_name="parent_id", string="Replies")
    state = fields.Selection(selection=MENTION_STATES, default="new", required=True, index=True, tracking=True,
                             group_expand=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Assigned To", index=True, tracking=True,
                              domain="[('share', '=', False)]")
    lead_id = fields.Many2one(comodel_name="crm.lead", index="btree_not_null", ondelete="set null",
                              tracking=True)
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", ondelete="set null",
        help="The team answering the mention: its routing rule's, else its source's.")
    priority = fields.Selection(selection=MENTION_PRIORITIES, default="0")
    routing_rule_id = fields.Many2one(
        comodel_name="social.routing.rule", string="Routed By", readonly=True, ondelete="set null",
        index="btree_not_null", help="The last routing rule that matched the mention when it arrived.")
    reply_body = fields.Text(string="Reply", help="The answer given, as it was sent.")
    replied_at = fields.Datetime(string="Answered On", readonly=True)
    replied_by_id = fields.Many2one(comodel_name="res.users", string="Answered By", readonly=True, copy=False,
                                    ondelete="set null", help="Who gave the last answer, sent or recorded.")
    network_icon = fields.Char(compute="_compute_network_icon")
    response_due_at = fields.Datetime(
        string="Answer By", readonly=True, copy=False,
        help="Response deadline: the posting time plus the response target, counted in the working hours "
             "of the source's sales team (else of the company), leaves excluded.")
    response_breached = fields.Boolean(
        string="Answered Late", readonly=True, copy=False,
        help="Answered after its deadline, or still unanswered once the deadline passed.")
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, readonly=True,
        help="The company of the source the mention was received from.")

    # references a reply to the post needs, as its network gave them
    external_cid = fields.Char(string="Content ID", readonly=True, help="Bluesky: the content id (cid) of the post.")
    thread_root_external_id = fields.Char(string="Thread Root (External ID)", readonly=True)
    thread_root_cid = fields.Char(string="Thread Root Content ID", readonly=True)
    visibility = fields.Char(readonly=True, help="Mastodon: who may see the post (public, unlisted, private, direct).")

    # answers posted from Odoo: outbound mentions, delivered by the "Deliver replies" job
    direction = fields.Selection(
        # not required: rows stored in bulk by other code without it are received ones
        selection=[("inbound", "Received"), ("outbound", "Sent by us")], default="inbound",
        readonly=True, help="Received: said on the network. Sent by us: a reply posted from one of the company's "
                            "accounts, never counted as what customers say.")
    account_id = fields.Many2one(comodel_name="social.account", string="Sent From", index="btree_not_null",
                                 ondelete="restrict", readonly=True)
    delivery_state = fields.Selection(selection=DELIVERY_STATES, readonly=True, copy=False, tracking=True)
    delivery_error = fields.Text(readonly=True, copy=False, help="Why the network refused the reply, in its own words.")
    delivery_attempts = fields.Integer(readonly=True, copy=False)
    delivery_next_at = fields.Datetime(string="Next Attempt", readonly=True, copy=False)
    delivery_key = fields.Char(
        string="Idempotency Key", readonly=True, copy=False,
        help="The same at every attempt: a network given it twice posts the reply once.")
    delivery_uncertain = fields.Boolean(
        readonly=True, copy=False,
        help="The last attempt may have reached the network: its latest posts are checked before posting again.")

    buying_signal_rule_id = fields.Many2one(
        comodel_name="social.buying.signal.rule", index="btree_not_null",
        ondelete="set null", readonly=True)
    buying_signal_type = fields.Selection(
        string="Buying Signal", related="buying_signal_rule_id.signal_type", store=True)
    signal_lead_pending = fields.Boolean(
        string="Lead Pending", readonly=True, copy=False,
        help="A buying signal whose rule asks for a lead: the lead is created by the scheduled action that "
             "ingestion wakes up, within seconds, rather than while the mentions are stored.")

    # External id first: ingestion looks up a batch's ids with ``external_id = ANY(...)`` alone, a
    # plan that does not depend on how many mentions the planner believes a (new) source has.
    _sql_constraints = [
        ("external_id_source_uniq", "unique(external_id, source_id)",
         "This mention was already received from this source."),
        ("reach_positive", "CHECK(reach >= 0)", "The reach cannot be negative."),
    ]

    def init(self):
        result = super().init()
        cr = self.env.cr
        # the unanswered mentions whose deadline may pass: what the overdue job scans
        create_index(cr, "social_mention_response_due_idx", self._table, ["response_due_at"],
                     where="response_breached IS NOT TRUE AND state IN ('new', 'to_answer', 'escalated')")
        # a source's mentions by date: the inbox of a source, polling, per-source daily figures
        create_index(cr, "social_mention_source_posted_at_idx", self._table, ["source_id", "posted_at"])
        # the queue of leads to create: a few rows among millions
        create_index(cr, "social_mention_signal_lead_pending_idx", self._table, ["id"], where="signal_lead_pending")
        # the queue of replies to deliver, as small
        create_index(cr, "social_mention_delivery_queue_idx", self._table, ["delivery_next_at"],
                     where="delivery_state = 'queued'")
        # every index is paid on each of the many inserts: drop those older versions made redundant
        for column in ("source_id", "network"):
            drop_index(cr, make_index_name(self._table, column), self._table)
        return result

    @api.constrains("company_id", "source_id")
    def _check_company_of_source(self):
        """A mention belongs to the company of its source, which the company rules of the inbox go by.
        One grouped query, not a read per mention: ingestion checks thousands at a time."""
        # sudo: the check concerns every mention, whatever the user may read
        for source, company in self.sudo()._read_group([("id", "in", self.ids)], ["source_id", "company_id"]):
            if company != source.company_id:
                raise ValidationError(self.env._(
                    "The mentions of %(stream)s belong to its company, %(company)s, not to %(other)s.",
                    stream=source.display_name, company=source.company_id.display_name, other=company.display_name))

    # ------------------------------------------------------------------ the pipeline

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = self.sudo()._prepare_mention_vals(vals_list)
        mentions = super().create(vals_list)
        mentions.sudo()._mention_after_create()
        return mentions

    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals or "state" in vals:
            self._sync_response_activities()
        if "replied_at" in vals:
            self._mark_late_answers()
        return result

    @api.model
    def _prepare_mention_vals(self, vals_list):
        """Complete the values of new mentions before they are stored, as one batch; values given
        are kept. Answer the list (completed in place).

        Called by ``create`` and by ingestion's bulk insert alike, as superuser (it only reads
        reference data): extend it, not ``create``, to fill a field of every new mention. The bulk
        insert applies no default and computes no stored field given here. Here: the direction
        (received unless said), the company of the source, its responsible as assignee (unless one
        is given), the buying signal of the text (none for our own replies, which are no customer's
        voice: addons leave them out of what they count, see :meth:`_customer_voice`), and for
        received mentions their routing and response deadline (:meth:`_prepare_response_due`).
        """
        for vals in vals_list:
            if not vals.get("direction"):
                vals["direction"] = "inbound"  # the bulk insert applies no default
            elif vals["direction"] == "outbound":
                vals.setdefault("buying_signal_rule_id", False)  # our own words signal no purchase
        todo = [vals for vals in vals_list if vals.get("source_id")]
        if not todo:
            return vals_list
        sources = self.env["social.source"].browse({vals["source_id"] for vals in todo})
        sources.fetch(["company_id", "user_id", "team_id"])
        matchers = {}
        for vals in todo:
            source = sources.browse(vals["source_id"])
            if not vals.get("company_id"):
                vals["company_id"] = source.company_id.id
            if not vals.get("user_id"):  # "new mentions of this source are assigned to this user"
                vals["user_id"] = source.user_id.id
            if "buying_signal_rule_id" in vals or not vals.get("body"):
                continue
            company = source.company_id
            if company not in matchers:
                matchers[company] = self.env["social.buying.signal.rule"]._get_values_matcher(company)
            found = matchers[company](vals["body"], vals.get("lang"))
            if found:
                # the signal type is a stored related: given here, no UPDATE after the bulk insert
                vals["buying_signal_rule_id"], vals["buying_signal_type"], vals["signal_lead_pending"] = found
        received = [vals for vals in todo if vals["direction"] == "inbound"]
        routed = [vals for vals in received if "routing_rule_id" not in vals]
        if routed:
            self.env["social.routing.rule"]._route(routed)
        for vals in todo:
            routed_team = vals.pop("_routing_team_id", None)
            if not vals.get("team_id") and (routed_team or sources.browse(vals["source_id"]).team_id):
                vals["team_id"] = routed_team or sources.browse(vals["source_id"]).team_id.id
            vals.setdefault("priority", "0")
        self._prepare_response_due([vals for vals in received if "response_due_at" not in vals], sources)
        return vals_list

    @api.model
    def _prepare_response_due(self, vals_list, sources):
        """Set ``response_due_at`` and ``response_breached`` in mention values (of ``sources``): the
        posting time plus the target of the mention's team (routed, else the source's; else the default
        target), in the team's working hours (else the company's). Each calendar's working time is
        read once for the batch."""
        sources.company_id.fetch(["resource_calendar_id"])
        default_hours = None
        groups = defaultdict(list)  # (calendar, hours): [vals]
        teams = self.env["crm.team"].browse({vals["team_id"] for vals in vals_list if vals.get("team_id")})
        (teams | sources.team_id).fetch(["resource_calendar_id", "social_response_hours"])
        for vals in vals_list:
            source = sources.browse(vals["source_id"])
            team = teams.browse(vals["team_id"]) if vals.get("team_id") else source.team_id
            calendar = team.resource_calendar_id or source.company_id.resource_calendar_id
            if not calendar:
                continue
            hours = team.social_response_hours
            if not hours:
                if default_hours is None:
                    default_hours = RESPONSE_TARGET_HOURS.read(self.env)
                hours = default_hours
            groups[calendar, hours].append(vals)
        now = fields.Datetime.now()
        for (calendar, hours), group in groups.items():
            posted = [fields.Datetime.to_datetime(vals.get("posted_at")) or now for vals in group]
            for vals, due in zip(group, calendar._social_plan_hours_batch(hours, posted), strict=True):
                vals["response_due_at"] = due
                if due and "response_breached" not in vals:
                    replied_at = fields.Datetime.to_datetime(vals.get("replied_at"))
                    vals["response_breached"] = (replied_at > due) if replied_at else (
                        vals.get("state", "new") in UNANSWERED_STATES and due < now)
        return vals_list

    def _mention_after_create(self):
        """Batch work once the mentions of ``self`` are stored, by ``create`` or by ingestion, as
        superuser (the system's bookkeeping, whoever created them): extend it, not ``create``.

        Here: replies are linked to their parents (and stored replies to their new parent), the
        assigned mentions get their response activity, and the job creating the leads of buying
        signals is woken up. Leads are queued, not created here: creating a lead costs Odoo's CRM a
        few milliseconds, more than storing a hundred mentions, and the webhook or poller should
        not wait for it. What may wait a moment (series, alerts, points) is
        :meth:`_mention_after_work`, which :meth:`_mention_schedule_after_work` has done.
        """
        if not self:
            return
        self._link_threads(self, replies=self.filtered("parent_external_id"))
        # A batch may hold thousands of mentions for one responsible: the activities are planned
        # without one notification e-mail each (they show in the user's activity menu).
        # New mentions have no activity yet: only the assigned ones need one.
        self.filtered("user_id").with_context(mail_activity_quick_update=True)._sync_response_activities()
        if any(self.mapped("signal_lead_pending")):
            trigger_cron(self.env, "social_crm.ir_cron_create_signal_leads")
        self._mention_schedule_after_work()

    def _mention_schedule_after_work(self):
        """Have :meth:`_mention_after_work` done on the new mentions of ``self``: here at once, in the
        transaction that stores them; social_crm_queue makes it a job of its own for each batch."""
        self._mention_after_work()

    def _mention_after_work(self):
        """The part of the work on new mentions that may wait for a moment after they are stored
        (daily series, alerts, advocacy points: the addons extend it), as superuser; the batch is
        done once, as a whole. Nothing here: what social_crm does must be there when ``create``
        returns (threads, activities)."""

    def _customer_voice(self):
        """The mentions of ``self`` said by others: our own replies (outbound) are left out of
        sentiment series, alerts, advocacy points and buying signals."""
        return self.filtered(lambda mention: mention.direction != "outbound")

    def _create_mentions(self, vals_by_index, errors):
        """Store the mentions of one ingested batch: :meth:`_prepare_mention_vals`, one bulk insert
        (:meth:`_insert_mentions`), then :meth:`_mention_after_create`, as ``create`` does.

        Items stored meanwhile by another ingestion are skipped by the insert and reported as
        duplicates. (One committed by a concurrent transaction after this one began is a
        serialization failure: the batch is run again on a fresh snapshot, where they are known.)
        Should a row be refused for another reason (by the database or a constraint), fall back to
        one savepoint per item, so that only that item fails.

        :return: ``({index: mention}, number of items stored meanwhile)``
        """
        if not vals_by_index:
            return {}, 0
        vals_list = self.sudo()._prepare_mention_vals(list(vals_by_index.values()))
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                created = self._insert_mentions(vals_list)
            indexes = list(vals_by_index)
            mentions = {indexes[position]: mention for position, mention in sorted(created.items())}
        except (psycopg2.IntegrityError, ValidationError):
            mentions = {}
            for index, vals in zip(vals_by_index, vals_list, strict=True):
                try:
                    with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                        for mention in self._insert_mentions([vals]).values():
                            mentions[index] = mention
                except psycopg2.IntegrityError as error:
                    errors[index] = f"refused by the database: {error.diag.message_primary}"
                except ValidationError as error:
                    errors[index] = f"refused: {error.args[0]}"
        stored_meanwhile = len(vals_list) - len(mentions) - len(errors.keys() & vals_by_index.keys())
        self.browse([mention.id for mention in mentions.values()]).sudo()._mention_after_create()
        return mentions, stored_meanwhile

    @api.model
    def _insert_mentions(self, vals_list):
        """Insert mentions whose values are complete with one ``COPY``
        (:func:`~..tools.bulk.insert_records_skipping_conflicts`), then run the model's constraints
        on them as ``create`` does; answer ``{position in vals_list: mention}`` of those inserted:
        an item of the source stored already is skipped.

        Rows are written in the order of their external ids: concurrent batches holding some of the
        same items lock them in the same order, so one waits for the other, and never deadlocks.
        """
        created = insert_records_skipping_conflicts(
            self.with_context(tracking_disable=True, mail_notrack=True), vals_list, ["external_id", "source_id"],
            row_order=itemgetter("external_id"))
        self.browse([mention.id for mention in created.values()])._validate_fields(
            {name for vals in vals_list for name in vals})
        return created

    @api.depends("network")
    def _compute_network_icon(self):
        for mention in self:
            mention.network_icon = self._network_icon(mention.network)

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
        return self._triage_next()

    def action_ignore(self):
        self._set_state("ignored", ("new", "to_answer", "escalated"))
        return self._triage_next()

    def action_reopen(self):
        self._set_state("new", ("answered", "ignored", "escalated"))

    def action_assign_to_me(self):
        self.user_id = self.env.user

    def action_take_over(self):
        """Assign to oneself mentions someone else owns, saying so in their chatter."""
        for mention in self.filtered(lambda m: m.user_id and m.user_id != self.env.user):
            mention.message_post(body=self.env._(
                "%(user)s took this mention over from %(previous)s.",
                user=self.env.user.name, previous=mention.user_id.name))
        self.user_id = self.env.user

    def _triage_next(self):
        """From the form's triage buttons (context ``social_open_next``): the next mention to answer."""
        if self.env.context.get("social_open_next") and len(self) == 1:
            return self._action_open_next_unanswered()
        return None

    def _action_open_next_unanswered(self):
        """The action opening the next mention waiting for an answer, for the current user: theirs or
        unassigned, the most urgent deadline first (then the oldest); a notification when none is left.

        The reply composer calls it once a reply is sent or recorded, so that the inbox moves on.
        """
        domain = [("state", "in", TO_ANSWER_STATES), ("id", "not in", self.ids),
                  "|", ("user_id", "=", self.env.uid), ("user_id", "=", False)]
        following = self.search(domain, order="response_due_at asc nulls last, posted_at asc, id asc", limit=1)
        if not following:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "title": self.env._("Inbox zero"),
                    "message": self.env._("No other mention waits for an answer from you."),
                    "type": "success",
                    # from the reply composer: close it, and the form shows the answered mention
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return {
            "type": "ir.actions.act_window",
            "name": following.display_name,
            "res_model": self._name,
            "res_id": following.id,
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------ overview

    @api.model
    def get_overview_data(self):
        """The figures of the Social CRM overview, the landing page of the Social menu (public, called
        by its client action): what the current user may read of the current companies, each figure
        with the action opening the records it counts.

        :return: ``{"counters": [{"key", "label", "value", "action", "sequence", "help", "tone"}, ...],
            "service": {...},
            "has_mentions", "can_configure", "configure_action"}``; social_crm_reputation and
            social_crm_advocacy add their parts (see :meth:`_get_overview`).
        """
        return self._get_overview(fields.Datetime.now())

    @api.model
    def _get_overview(self, now):
        """The overview's data at ``now`` (UTC, naive), as the current user: extend it, call ``super()``
        and add keys (and counters). Every figure is one ``search_count`` or ``_read_group`` over the
        records the user may read (record rules apply), in the current companies only.

        Here, the service figures: ``service.unanswered`` (the Inbox's *Unanswered*), ``overdue``
        (*Overdue*: unanswered past the deadline), ``today`` (received mentions posted today, in the
        user's time zone) and ``response`` (the median first response of the answers of the last
        7 days, in hours, from the response-times report), ``next`` (the mentions to answer next);
        the counters of the Inbox and, for managers (their menu), of Failed Items.
        """
        here = self._overview_company_domain()
        is_manager = self.env.user.has_group("social_crm.social_crm_group_manager")
        inbox = "social_crm.social_mention_action"
        unanswered = self.search_count(here + [("state", "in", TO_ANSWER_STATES)])
        overdue = self.search_count(here + [("response_breached", "=", True), ("state", "in", UNANSWERED_STATES)])
        start, stop = self._overview_today(now)
        today_domain = [("direction", "!=", "outbound"),
                        ("posted_at", ">=", fields.Datetime.to_string(start)),
                        ("posted_at", "<", fields.Datetime.to_string(stop))]
        since = fields.Datetime.to_string(now - timedelta(days=OVERVIEW_RESPONSE_DAYS))
        # the report's rows: received mentions with a deadline (a view of this table: flushed
        # first); its median is percentile_cont over the whole group
        self.flush_model()
        [(median, answered)] = self.env["social.mention.sla.report"]._read_group(
            here + [("replied_at", ">=", since)], [], ["response_hours_median:avg", "__count"])
        response_domain = [("direction", "!=", "outbound"), ("response_due_at", "!=", False),
                           ("replied_at", ">=", since)]
        unanswered_action = self._overview_action(inbox)
        counters = [{
            "key": "inbox", "label": self.env._("Inbox"), "value": unanswered, "sequence": 10, "icon": "fa-inbox",
            "help": self.env._("Mentions waiting for an answer"), "action": unanswered_action,
        }]
        if is_manager:  # the Failed Items menu is the managers'
            counters.append({
                "key": "failed", "label": self.env._("Failed Items"), "sequence": 20, "tone": "danger",
                "icon": "fa-exclamation-triangle",
                "value": self.env["social.mention.quarantine"].search_count(here + [("state", "=", "failed")]),
                "help": self.env._("Items that could not be stored, to retry or discard"),
                "action": self._overview_action("social_crm.social_mention_quarantine_action"),
            })
        return {
            "has_mentions": bool(self.search_count(here, limit=1)),
            "can_configure": is_manager,
            "configure_action": self._overview_action("social_crm.social_source_action") if is_manager else False,
            "counters": counters,
            "service": {
                "unanswered": {"value": unanswered, "action": unanswered_action},
                "overdue": {"value": overdue, "action": self._overview_action(
                    inbox, name=self.env._("Overdue"), context={"search_default_overdue": 1})},
                "today": {"value": self.search_count(here + today_domain), "action": self._overview_action(
                    inbox, name=self.env._("Mentions today"), context={}, domain=today_domain)},
                "response": {
                    "hours": median if answered else None, "count": answered, "days": OVERVIEW_RESPONSE_DAYS,
                    "action": self._overview_action(
                        inbox, name=self.env._("Answered in the last %(days)s days", days=OVERVIEW_RESPONSE_DAYS),
                        context={}, domain=response_domain),
                },
                "next": self._overview_next(here),
            },
        }

    @api.model
    def _overview_next(self, domain, limit=OVERVIEW_NEXT):
        """The mentions the current user answers next (theirs or unassigned, the nearest deadline
        first, as the triage's *next*), in one query: ``[{"id", "author", "body", "network", "due",
        "overdue"}]``."""
        labels = dict(self._fields["network"]._description_selection(self.env))
        mentions = self.search(
            domain + [("state", "in", TO_ANSWER_STATES), "|", ("user_id", "=", self.env.uid), ("user_id", "=", False)],
            order="response_due_at asc nulls last, posted_at asc, id asc", limit=limit)
        return [{
            "id": mention.id, "author": mention.author_name or mention.author_handle,
            "body": (mention.body or "")[:OVERVIEW_TEXT_CHARS], "network": labels.get(mention.network, mention.network),
            "network_icon": mention.network_icon,
            "due": fields.Datetime.to_string(mention.response_due_at) if mention.response_due_at else False,
            "overdue": mention.response_breached,
        } for mention in mentions]

    @api.model
    def _overview_company_domain(self):
        """The current companies (those chosen in the company switcher), which the overview counts."""
        return [("company_id", "in", self.env.companies.ids)]

    @api.model
    def _overview_today(self, now):
        """``(start, stop)`` of the user's day at ``now``, in UTC (naive): the day of their time zone."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        day = pytz.utc.localize(now).astimezone(tz).date()
        start, stop = (tz.localize(datetime.combine(date, time.min)) for date in (day, day + timedelta(days=1)))
        return start.astimezone(pytz.utc).replace(tzinfo=None), stop.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _overview_action(self, xml_id, name=None, context=None, domain=None):
        """The window action ``xml_id`` as a figure of the overview opens it: ``name`` for its title,
        ``context`` (its search defaults) instead of the action's own, and ``domain`` when the
        figure counts what no filter of the search view selects (a time window)."""
        action = self.env["ir.actions.actions"]._for_xml_id(xml_id)
        if name:  # the breadcrumb shows the display name
            action["name"] = action["display_name"] = name
        if context is not None:
            action["context"] = context
        if domain is not None:
            action["domain"] = domain
        return action

    # ------------------------------------------------------------------ ingestion

    @api.model
    def ingest(self, source_id, items):
        """Store mentions pushed by an external client (the webhook body's ``mentions`` list).

        :return: ``{"created": n, "duplicates": n, "errors": [{"index", "id", "error"}, ...]}``;
            bad items are reported and quarantined, the good ones are kept.
        """
        if not self.env.user.has_group("social_crm.social_crm_group_manager") and not self.env.su:
            raise AccessError(self.env._("Only Social CRM managers may push mentions."))
        source = self.env["social.source"]._find_by_id(source_id)
        if not source or not source.active:
            raise UserError(self.env._("There is no active source with id %(id)s.", id=shown(source_id)))
        if not isinstance(items, list):
            raise ValidationError(self.env._("'mentions' must be a list of mention objects."))
        if len(items) > MAX_ITEMS_PER_CALL:
            raise ValidationError(self.env._("At most %(max)s mentions per call.", max=MAX_ITEMS_PER_CALL))
        result = self.sudo()._ingest(source.sudo(), items)
        return {key: result[key] for key in ("created", "duplicates", "errors")}

    @api.model
    def _ingest(self, source, items, quarantine=True):
        """Validate, deduplicate, match authors and create ``items`` of ``source`` in one batch.

        :return: dict with ``created``, ``duplicates``, ``opted_out`` counts, ``errors`` (list of
            ``{"index", "id", "error"}``) and ``mentions`` (``{index: mention}`` of the created ones)
        """
        errors, parsed = {}, {}
        for index, item in enumerate(items):
            try:
                parsed[index] = self._parse_item(item, source)
            except ItemError as error:
                errors[index] = str(error)
            except Exception as error:  # noqa: BLE001 - whatever an item holds, only that item fails
                _logger.exception("Item %s of a batch of source #%s could not be read", index, source.id)
                errors[index] = f"could not be read: {type(error).__name__}: {clean_text(str(error), 500)}"

        duplicates = 0
        known = self._known_external_ids(source, {vals["external_id"] for vals in parsed.values()})
        seen = set()
        for index, vals in list(parsed.items()):
            if vals["external_id"] in known or vals["external_id"] in seen:
                duplicates += 1
                del parsed[index]
            seen.add(vals["external_id"])

        matches = self.env["social.identity"]._resolve_authors(
            [vals.pop("_author") for vals in parsed.values()], company=source.company_id)
        drop_opted_out = OPT_OUT_POLICY.read(self.env) == "drop"
        opted_out, to_create = 0, {}
        for (index, vals), match in zip(list(parsed.items()), matches, strict=True):
            if match.error:
                errors[index] = f"author: {match.error}"
                continue
            if match.opted_out:
                opted_out += 1
                if drop_opted_out:
                    continue
            vals["profile_id"] = match.profile.id if not match.opted_out else False
            vals["partner_id"] = match.partner.id
            to_create[index] = vals

        mentions, stored_meanwhile = self._create_mentions(to_create, errors)
        duplicates += stored_meanwhile
        errors = {index: clean_text(message, MAX_ERROR_CHARS) for index, message in errors.items()}
        if errors and quarantine:
            self.env["social.mention.quarantine"]._record(
                source, [(items[index], error) for index, error in sorted(errors.items())])
        return {
            "created": len(mentions),
            "duplicates": duplicates,
            "opted_out": opted_out,
            "errors": [{"index": index, "id": self._item_id(items[index]), "error": error}
                       for index, error in sorted(errors.items())],
            "mentions": mentions,
        }

    @staticmethod
    def _item_id(item):
        """The id an item claims (a string or an integer), cut and cleaned as it is reported back and
        kept in quarantine; ``False`` when it has none: an RPC answer cannot hold ``None``."""
        value = item.get("id") if isinstance(item, dict) else None
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() <= 850:
            value = str(value)
        return (clean_text(value[:255]).strip() or False) if isinstance(value, str) else False

    @api.model
    def _parse_item(self, item, source):
        """Mention values from one item of the webhook format; raise :class:`ItemError` if unusable."""
        if not isinstance(item, dict):
            raise ItemError("a mention must be a JSON object")
        external_id = item_identifier(item.get("id"), "id")
        if not external_id:
            raise ItemError("id: missing (a string or an integer)")
        network = item.get("network") or source.network
        if not isinstance(network, str) or (network not in NETWORK_CODES and network not in self._network_codes()):
            raise ItemError(f"network: unknown network {shown(network)}")
        author = item.get("author")
        if author is None and source._accepts_unknown_authors():
            author = {}
        if not isinstance(author, dict):
            raise ItemError("author: missing (an object with a handle, a profile url, an e-mail, a phone or a name)")
        handle = item_text(author.get("handle"), 256, "author.handle").strip()
        author_url = item_text(author.get("url"), 2048, "author.url").strip()
        email, phone, name = (item_text(author.get(key), limit, f"author.{key}").strip()
                              if isinstance(author.get(key), str) else ""
                              for key, limit in (("email", 256), ("phone", 64), ("name", 256)))
        account_id = author.get("account_id")
        account_id = item_identifier(account_id, "author.account_id")[:100] if isinstance(account_id, (str, int)) \
            and not isinstance(account_id, bool) else ""
        known = handle or author_url or email or phone or name or account_id
        if not known and not source._accepts_unknown_authors():
            raise ItemError("author: needs a handle, an account id, a profile url, an e-mail, a phone or a name")
        parent_id = item_identifier(item.get("parent_id"), "parent_id")
        body = item_text(item.get("text"), MAX_BODY_CHARS + 1, "text")
        followers = item_count(author.get("followers"), "author.followers")
        vals = {
            "source_id": source.id,
            "external_id": external_id,
            "network": network,
            "author_handle": known or self.env._("Unknown author"),
            "author_name": name or False,
            "body": body[:MAX_BODY_CHARS],
            "body_truncated": len(body) > MAX_BODY_CHARS,
            "url": web_url(item_text(item.get("url"), 2048, "url")),
            "lang": item_text(item.get("lang"), 16, "lang") or False,
            "posted_at": item_datetime(item.get("posted_at")) or fields.Datetime.now(),
            "reach": followers,
            "parent_external_id": parent_id or False,
            "state": "new",
            **self._parse_item_refs(item),
            "_author": {
                "network": network, "handle": handle, "url": author_url, "name": name, "followers": followers,
                "email": email or None, "phone": phone or None, "account_id": account_id or None,
                "source_id": source.id,
            } if known else None,  # an item of a feed may name no author
        }
        return vals

    @staticmethod
    def _parse_item_refs(item):
        """The optional references of an item a reply to it needs (``cid``, ``root_id``,
        ``root_cid``, ``visibility``), as mention values."""
        vals = {}
        for key, name, limit in (("cid", "external_cid", 255), ("root_id", "thread_root_external_id", 1024),
                                 ("root_cid", "thread_root_cid", 255), ("visibility", "visibility", 16)):
            value = item_text(item.get(key), limit, key).strip() if isinstance(item.get(key), str) else ""
            if value:
                vals[name] = value
        return vals

    def _known_external_ids(self, source, external_ids):
        """The ``external_ids`` already received from ``source``.

        The lookup is by external id only (the unique index leads with it) and the source is
        filtered here: with ``source_id = …`` in the query, the planner may trust statistics that
        predate a source's first big import and scan all its mentions for each batch.
        """
        if not external_ids:
            return set()
        self.flush_model(["source_id", "external_id"])
        rows = self.env.execute_query(SQL(
            "SELECT source_id, external_id FROM social_mention WHERE external_id = ANY(%s)", list(external_ids)))
        return {external_id for source_id, external_id in rows if source_id == source.id}

    def _link_threads(self, mentions, replies):
        """Set ``parent_id`` where ``mentions`` (just stored) complete a thread, in one UPDATE: the
        ``replies`` among them whose parent is stored, and the stored replies whose parent is one
        of them. Both sides are looked up by id and external id, never by scanning a source."""
        self.flush_model(["parent_id", "parent_external_id", "source_id", "external_id"])
        self.env.execute_query(SQL("""
            UPDATE social_mention child SET parent_id = link.parent_id
              FROM (SELECT reply.id AS child_id, parent.id AS parent_id
                      FROM social_mention reply
                      JOIN social_mention parent
                        ON parent.external_id = reply.parent_external_id AND parent.source_id = reply.source_id
                     WHERE reply.id = ANY(%(replies)s)
                 UNION
                    SELECT reply.id, parent.id
                      FROM social_mention parent
                      JOIN social_mention reply
                        ON reply.parent_external_id = parent.external_id AND reply.source_id = parent.source_id
                     WHERE parent.id = ANY(%(mentions)s)) link
             WHERE child.id = link.child_id AND child.parent_id IS NULL
        """, replies=replies.ids, mentions=mentions.ids))
        self.invalidate_model(["parent_id", "child_ids"])

    # ------------------------------------------------------------------ buying signals and leads

    @api.model
    def _cron_create_signal_leads(self, batch_size=LEAD_BATCH):
        """Create the leads of the queued buying signals, a batch at a time, each batch committed."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        done = 0
        while batch := self._create_queued_signal_leads(batch_size):
            done += batch
            remaining = self.search_count([("signal_lead_pending", "=", True)])
            self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
            if auto_commit:
                # keep finished batches (see ir_cron._run_job)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    @api.model
    def _create_queued_signal_leads(self, limit=None):
        """Create the leads of (at most ``limit``) queued buying signals; return how many were dequeued.

        Ingestion is system work (webhook, cron, RPC pushed by a manager): the leads a configured
        rule asks for are created whatever the rights of who pushed the mentions; their values come
        only from the validated mention fields.
        """
        Mention = self.sudo().with_context(tracking_disable=True)
        pending = Mention.search([("signal_lead_pending", "=", True)], order="id", limit=limit)
        linked = pending.filtered("lead_id")  # given a lead by hand in the meantime
        linked.signal_lead_pending = False
        (pending - linked)._create_leads_from_signals()  # which takes them out of the queue
        return len(pending)

    # leads

    def _create_leads_from_signals(self):
        """Create a lead per author, or attach the mentions to their partner's open lead, in batch.

        One search for the open leads of all partners, one ``create`` for the new leads, one
        write of ``lead_id`` per lead; mentions of the same author in one batch share a lead.
        :return: the leads created or enriched
        """
        Lead = self.env["crm.lead"]
        partners = self.partner_id
        open_leads = {}
        if partners:
            for lead in Lead.search_fetch(
                    [("partner_id", "in", partners.ids), ("type", "in", ("lead", "opportunity")),
                     "|", ("stage_id", "=", False), ("stage_id.is_won", "=", False)],
                    ["partner_id", "company_id"], order="create_date desc, id desc"):
                open_leads.setdefault((lead.partner_id.id, lead.company_id.id), lead)

        attached, groups = {}, {}
        for mention in self:
            partner = mention.partner_id
            # the partner's latest open lead of the mention's company, else one shared by all companies
            lead = partner and (open_leads.get((partner.id, mention.company_id.id)) or
                                open_leads.get((partner.id, False)))
            if lead:
                attached.setdefault(lead, self.browse())
                attached[lead] |= mention
                continue
            key = ("partner", partner.id) if partner else ("profile", mention.profile_id.id) \
                if mention.profile_id else ("mention", mention.id)
            groups.setdefault((key, mention.company_id.id), self.browse())
            groups[(key, mention.company_id.id)] |= mention

        new_groups, new_leads = list(groups.values()), Lead
        if new_groups:
            mediums, sources = self._utm_records()
            # with_prefetch: groups are small recordsets of their own; read all mentions at once
            vals_list = [group[0].with_prefetch(self._prefetch_ids)._prepare_lead_values(mediums, sources)
                         for group in new_groups]
            new_leads = self._create_leads(vals_list)
            for group, lead in zip(new_groups, new_leads, strict=True):
                group.lead_id = lead
                if len(group) > 1:
                    attached[lead] = group[1:]
        if attached:
            Lead.concat(*attached)._message_log_batch(
                bodies={lead.id: group._lead_note() for lead, group in attached.items()})
            for lead, group in attached.items():
                group.lead_id = lead
        self.filtered("signal_lead_pending").signal_lead_pending = False  # done: out of the queue
        return Lead.concat(*attached) | new_leads

    def _create_leads(self, vals_list):
        """Create the leads with their team and first stage looked up once per salesperson and
        company; ``crm.lead`` would otherwise search both lead by lead.

        The stage goes through the context default: given in the values, it would make
        ``crm.lead.create`` run its won/lost bookkeeping (a query) for each lead.
        """
        Lead = self.env["crm.lead"]
        teams, stages, by_stage = {}, {}, {}
        for index, vals in enumerate(vals_list):
            key = (vals.get("user_id"), vals.get("company_id"))
            if key not in teams:
                team = self.env["crm.team"]
                if vals.get("user_id"):
                    team = team.with_company(vals.get("company_id") or self.env.company)._get_default_team_id(
                        user_id=vals["user_id"], domain=[("use_leads", "=", True)])
                teams[key] = team
            team = teams[key]
            vals.setdefault("team_id", team.id)
            if vals["team_id"] not in stages:
                stages[vals["team_id"]] = Lead._stage_find(team_id=vals["team_id"], domain=[("fold", "=", False)])
            by_stage.setdefault(stages[vals["team_id"]].id, []).append(index)
        leads = [None] * len(vals_list)
        for stage_id, indexes in by_stage.items():
            created = Lead.with_context(default_stage_id=stage_id).create([vals_list[i] for i in indexes])
            for index, lead in zip(indexes, created.with_context(**self.env.context), strict=True):
                leads[index] = lead
        return Lead.concat(*leads)

    def _utm_records(self):
        """``({network: utm.medium}, {social.source: utm.source})`` for these mentions, found or created at once."""
        # utm records are shared reference data that users may not create themselves
        Medium = self.env["utm.medium"].sudo().with_context(active_test=False)
        UtmSource = self.env["utm.source"].sudo()
        labels = {**dict(self._fields["network"].selection), **MEDIUM_NAMES}  # untranslated: names are keys
        medium_names = {network: labels.get(network, network) for network in set(self.mapped("network"))}
        existing = {medium.name: medium for medium in Medium.search(
            [("name", "in", list(medium_names.values()))], order="active desc, id")}
        missing = sorted(set(medium_names.values()) - set(existing))
        existing.update(zip(missing, Medium.create([{"name": name} for name in missing]), strict=True))
        mediums = {network: existing[name] for network, name in medium_names.items()}

        source_names = {source: source.name for source in self.source_id}
        known = {source.name: source for source in UtmSource.search([("name", "in", list(source_names.values()))])}
        missing = sorted(set(source_names.values()) - set(known))
        known.update(zip(missing, UtmSource.create([{"name": name} for name in missing]), strict=True))
        return mediums, {source: known[name] for source, name in source_names.items()}

    def _prepare_lead_values(self, mediums, sources):
        self.ensure_one()
        network = dict(self._fields["network"]._description_selection(self.env)).get(self.network, self.network)
        author = self.partner_id.name or self.author_name or self.author_handle
        return {
            "type": "lead",
            "name": self.env._("Buying signal: %(author)s on %(network)s", author=author, network=network),
            "partner_id": self.partner_id.id,
            "contact_name": False if self.partner_id else (self.author_name or self.author_handle),
            "user_id": self.user_id.id,
            "company_id": self.company_id.id,
            "medium_id": mediums[self.network].id,
            "source_id": sources[self.source_id].id,
            "description": self._lead_note(),
        }

    def _lead_note(self):
        """The mentions quoted as escaped HTML: their text is never rendered as markup."""
        signal_labels = dict(self._fields["buying_signal_type"]._description_selection(self.env))
        network_labels = dict(self._fields["network"]._description_selection(self.env))
        parts = []
        for mention in self:
            intro = self.env._(
                "%(signal)s from %(author)s on %(network)s, %(date)s:",
                signal=signal_labels.get(mention.buying_signal_type) or self.env._("Mention"),
                author=mention.author_handle, network=network_labels.get(mention.network, mention.network),
                date=format_datetime(self.env, mention.posted_at))
            link = Markup('<p><a href="%s" target="_blank" rel="noopener noreferrer">%s</a></p>') % (
                mention.url, mention.url) if mention.url else ""
            parts.append(Markup("<p>%s</p><blockquote>%s</blockquote>%s") % (
                intro, plaintext2html(mention.body or ""), link))
        return Markup("").join(parts)

    def action_create_lead(self):
        """Create (or attach to the partner's open lead) the lead of this mention, and open it."""
        self.ensure_one()
        if self.lead_id:
            raise UserError(self.env._("This mention is already linked to the lead %(lead)s.",
                                       lead=self.lead_id.display_name))
        self.env["crm.lead"].check_access("create")
        self._create_leads_from_signals()
        return self.action_open_lead()

    def action_open_lead(self):
        self.ensure_one()
        if not self.lead_id:
            raise UserError(self.env._("This mention has no lead yet."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------ response deadlines

    def _mark_late_answers(self):
        """Mark the mentions answered after their deadline (and unmark those answered in time)."""
        late = self.filtered(lambda m: m.replied_at and m.response_due_at and m.replied_at > m.response_due_at)
        late.filtered(lambda m: not m.response_breached).response_breached = True
        (self - late).filtered(lambda m: m.replied_at and m.response_breached).response_breached = False

    @api.model
    def _cron_mark_response_breaches(self):
        """Mark the unanswered mentions whose deadline passed; answer how many."""
        overdue = self.sudo().search([
            ("response_breached", "=", False), ("state", "in", UNANSWERED_STATES),
            ("response_due_at", "<", fields.Datetime.now())])
        overdue.response_breached = True
        return len(overdue)

    # ------------------------------------------------------------------ activities

    @api.model
    def _response_activity_type(self):
        return (self.env.ref("social_crm.mail_activity_type_social_answer", raise_if_not_found=False)
                or self.env.ref("mail.mail_activity_data_todo"))

    def _response_activity_vals(self, activity_type, model_id, deadlines=None):
        """Values of the response activity of this mention, for its assignee: due at its response
        deadline (in business hours, :meth:`_prepare_response_due`), else at once.

        ``deadlines`` is a dictionary shared by the mentions of a batch: mentions received outside
        business hours share their deadline, which is then dated and formatted once."""
        self.ensure_one()
        user = self.user_id
        due = self.response_due_at or fields.Datetime.now()
        tz = user.tz or "UTC"
        deadlines = {} if deadlines is None else deadlines
        if (due, tz) not in deadlines:
            deadlines[due, tz] = (
                fields.Date.context_today(self.with_context(tz=tz), timestamp=due),
                self.env._("Answer by %(deadline)s", deadline=format_datetime(self.env, due, tz=tz, dt_format="short")))
        date_deadline, summary = deadlines[due, tz]
        return {
            "res_model_id": model_id,
            "res_id": self.id,
            "activity_type_id": activity_type.id,
            "user_id": user.id,
            "date_deadline": date_deadline,
            "summary": summary,
            "automated": True,
        }

    def _response_activities(self):
        """The open response activities of these mentions, in one query."""
        if not self.ids:
            return self.env["mail.activity"]
        return self.env["mail.activity"].search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids),
            ("activity_type_id", "=", self._response_activity_type().id),
        ])

    def _sync_response_activities(self):
        """Make each mention's response activity match its state and assignee, in batch.

        - assigned and new / to answer: exactly one activity, for the assignee (created if missing,
          moved to the new assignee on reassignment);
        - escalated: the existing activity is kept and follows the assignee;
        - answered: the activity is marked as done; ignored or unassigned: it is removed.
        """
        mentions = self.filtered("id")
        if not mentions:
            return
        activity_type = self._response_activity_type()
        Activity = self.env["mail.activity"]
        by_mention = defaultdict(lambda: Activity)
        for activity in mentions._response_activities():
            by_mention[activity.res_id] |= activity
        to_done, to_unlink = Activity, Activity
        moves = defaultdict(lambda: Activity)
        to_create = []
        model_id = self.env["ir.model"]._get_id(self._name)
        deadlines = {}
        for mention in mentions:
            activities = by_mention[mention.id]
            if mention.state == "answered":
                to_done |= activities
            elif mention.state not in KEEP_ACTIVITY_STATES or not mention.user_id:
                to_unlink |= activities
            elif activities:
                to_unlink |= activities[1:]
                if activities[0].user_id != mention.user_id:
                    moves[mention.user_id.id] |= activities[0]
            elif mention.state in TO_ANSWER_STATES:
                to_create.append(mention._response_activity_vals(activity_type, model_id, deadlines))
        to_unlink.unlink()
        for user_id, activities in moves.items():
            activities.write({"user_id": user_id})
        if to_create:
            Activity.create(to_create)
        if to_done:
            to_done.action_feedback(feedback=self.env._("Mention answered."))

    # ------------------------------------------------------------------ wizards

    def action_reply(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reply"),
            "res_model": "social.mention.reply",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mention_id": self.id},
        }

    def action_take_private(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Take Private"),
            "res_model": "social.mention.take.private",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mention_id": self.id},
        }

    # ------------------------------------------------------------------ collisions: who views, who answers

    def _check_not_answered_since(self, seen_replied_at):
        """Refuse (UserError) to answer this mention if it was answered since the caller saw it
        answered at ``seen_replied_at`` (False: unanswered), by someone else or in another window.

        The mention's row is locked first: of two people answering at the same moment, the second
        waits for the first one's transaction; once it is committed, PostgreSQL refuses the second
        one's snapshot (a concurrent update), Odoo retries the call, and the retry sees the answer."""
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(SQL("SELECT id FROM %s WHERE id = %s FOR NO KEY UPDATE",
                                SQL.identifier(self._table), self.id))
        self.invalidate_recordset(["replied_at", "replied_by_id", "reply_body"])
        seen = fields.Datetime.to_datetime(seen_replied_at) or False
        if self.replied_at and self.replied_at != seen:
            who = self.replied_by_id
            if who == self.env.user:
                message = self.env._(
                    "You answered this mention at %(time)s, in another window, while writing this reply: "
                    "“%(answer)s”. Open the mention again to read it before answering once more.",
                    time=format_datetime(self.env, self.replied_at, dt_format="short"),
                    answer=clean_text(self.reply_body or "", 200))
            else:
                message = self.env._(
                    "%(user)s answered this mention at %(time)s, while you were writing your reply: "
                    "“%(answer)s”. Your reply was not sent: open the mention again to read theirs first.",
                    user=who.name or self.env._("Someone"),
                    time=format_datetime(self.env, self.replied_at, dt_format="short"),
                    answer=clean_text(self.reply_body or "", 200))
            raise UserError(message)

    def notify_presence(self, status):
        """Tell the others who have this mention open that the current user views it (``viewing``),
        writes a reply to it (``replying``) or left it (``left``), and answer who else is there.

        Presence is a notification on the mention's bus channel (``social.mention_<id>``, which
        users who may read the mention subscribe to) and is stored nowhere else: each open form
        announces itself every ``PRESENCE_SECONDS``, and the answer is read from the bus's own
        recent notifications, so it holds without a live connection too.

        :return: ``[{"user_id", "name", "partner_id", "status"}, ...]``: the others' latest status,
            those who left or were silent for ``PRESENCE_TIMEOUT`` seconds left out.
        """
        self.ensure_one()
        if status not in PRESENCE_STATUSES:
            raise UserError(self.env._("Unknown presence %(status)s.", status=status))
        self.check_access("read")
        user = self.env.user
        others = self._presence_of_others()
        self.env["bus.bus"]._sendone(self, "social.mention/presence", {
            "mention_id": self.id, "user_id": user.id, "name": user.name, "partner_id": user.partner_id.id,
            "status": status,
        })
        return others

    def _presence_of_others(self):
        """The latest presence of each other user on this mention's channel, from the notifications
        of the last ``PRESENCE_TIMEOUT`` seconds (one query on the bus's table)."""
        self.ensure_one()
        channel = json_dump(channel_with_db(self.env.cr.dbname, self))
        # sudo: the bus's table is the system's; only this mention's channel is read, which the
        # caller may read (checked by notify_presence)
        notifications = self.env["bus.bus"].sudo().search_read(
            [("channel", "=", channel), ("create_date", ">", self.env.cr.now() - timedelta(seconds=PRESENCE_TIMEOUT))],
            ["message"], order="id")
        latest = {}
        for notification in notifications:
            message = json.loads(notification["message"])
            payload = message.get("payload") or {}
            if message.get("type") == "social.mention/presence" and payload.get("user_id") != self.env.uid:
                latest[payload.get("user_id")] = payload
        return [payload for payload in latest.values() if payload.get("status") != "left"]

    # ------------------------------------------------------------------ replies posted to the network

    def _greeting_name(self):
        """How a reply greets the author: the contact's first name when the author is a known
        contact, else the name or handle the network shows."""
        self.ensure_one()
        if self.partner_id.name:
            return self.partner_id.name.split()[0]
        return (self.author_name or self.author_handle or "").strip()

    def _reply_purpose(self):
        """What the mention calls for, to rank reply templates: ``question`` (a buying signal),
        ``complaint`` or ``praise`` (its sentiment, when an addon scores it), or False."""
        self.ensure_one()
        if self.buying_signal_type:
            return "question"
        label = self["sentiment_label"] if "sentiment_label" in self._fields else False
        return {"negative": "complaint", "positive": "praise"}.get(label, False)

    def _reply_parent_refs(self):
        """What the network's client needs of this (inbound) mention to answer it."""
        self.ensure_one()
        return {
            "external_id": self.external_id, "author_handle": self.author_handle, "url": self.url,
            "lang": self.lang, "cid": self.external_cid, "root_id": self.thread_root_external_id,
            "root_cid": self.thread_root_cid, "visibility": self.visibility,
        }

    def _reply_account(self, account_id=False):
        """The account answering this mention: ``account_id``, else its source's, else the company's
        account of its network; raise UserError when none may."""
        self.ensure_one()
        Account = self.env["social.account"].sudo()
        if account_id:
            account = Account.browse(int(account_id)).exists()
            if not account:
                raise UserError(self.env._("There is no account with id %(id)s.", id=account_id))
        else:
            account = self.source_id.sudo().account_id or Account._account_for(self.network, self.company_id)
        if not account:
            raise UserError(self.env._(
                "No account answers on %(network)s for %(company)s: connect one (Configuration > Accounts), or "
                "record the reply typed on the network.", network=self._network_label(), company=self.company_id.name))
        if account.company_id != self.company_id:
            raise UserError(self.env._("%(account)s belongs to %(company)s: it cannot answer a mention of %(other)s.",
                                       account=account.name, company=account.company_id.name,
                                       other=self.company_id.name))
        if account.network != self.network:
            raise UserError(self.env._("%(account)s cannot answer a mention of another network.", account=account.name))
        if not account.active or account.state != "connected":
            raise UserError(self.env._("%(account)s is disconnected: reconnect it (Test connection) first.",
                                       account=account.name))
        return account

    def _network_label(self):
        return dict(self._fields["network"]._description_selection(self.env)).get(self.network, self.network)

    def _reply_text(self, body, account):
        """The text posted for ``body`` from ``account``; raise UserError when it is empty or too long."""
        self.ensure_one()
        body = (body or "").strip()
        if not body:
            raise UserError(self.env._("Write the reply before sending it."))
        publisher_class = account._get_publisher_class()
        text = publisher_class.reply_text(body, self._reply_parent_refs())
        length = publisher_class.length(text)
        if publisher_class.max_length and length > publisher_class.max_length:
            raise UserError(self.env._(
                "The reply is %(length)s characters long as %(network)s counts them: at most %(limit)s are allowed.",
                length=length, network=self._network_label(), limit=publisher_class.max_length))
        return text

    def reply(self, body, account_id=False, seen_replied_at=None):
        """Answer this inbound mention on its network: create the outbound mention, queued for the
        "Deliver replies" job, and answer its id. The mention is marked answered as recording does.

        ``seen_replied_at``: the mention's ``replied_at`` as the caller saw it when they began their
        answer (False: unanswered); when given, a reply to a mention answered since is refused
        (UserError naming who answered), so that two people never answer a customer twice."""
        return self._reply(body, account_id, seen_replied_at=seen_replied_at)

    def _reply(self, body, account_id=False, visibility=None, seen_replied_at=None):
        """:meth:`reply`; ``visibility``: Mastodon's, when not that of the mention (``direct``: a
        private follow-up)."""
        self.ensure_one()
        self.check_access("write")
        if self.direction != "inbound":
            raise UserError(self.env._("Only a received mention can be answered."))
        if seen_replied_at is not None:
            self._check_not_answered_since(seen_replied_at)
        account = self._reply_account(account_id)
        text = self._reply_text(body, account)
        key = str(uuid.uuid4())
        now = fields.Datetime.now()
        to_approve = self._reply_needs_approval()
        outbound = self.sudo().create({
            "direction": "outbound", "account_id": account.id, "source_id": self.source_id.id,
            "company_id": self.company_id.id, "network": self.network, "external_id": f"outbound:{key}",
            "author_handle": account.handle or account.name,
            "author_name": account.display_name_network or account.name, "body": text, "lang": self.lang,
            "posted_at": now, "parent_id": self.id,
            "parent_external_id": self.external_id, "state": "answered", "user_id": self.env.user.id,
            "delivery_state": "to_approve" if to_approve else "queued", "delivery_key": key,
            "delivery_next_at": False if to_approve else now, "visibility": visibility or False,
        })
        if to_approve:
            outbound._request_reply_approval()
            return outbound.id
        self._record_reply(text, self.env._("Reply sent from %(account)s:", account=account.name))
        outbound._schedule_delivery()
        return outbound.id

    # ------------------------------------------------------------------ reply approval

    @api.model
    def _reply_needs_approval(self):
        """Whether a reply of the current user waits for a manager's approval: when the setting asks
        for approvals and the user may not publish."""
        return not self.env.su and REPLY_APPROVAL.read(self.env) and not self.env.user.has_group(PUBLISH_GROUP)

    def _reply_approvers(self):
        """Who approves the reply ``self``: the leader of the mention's sales team, else the source's
        responsible, if they may publish; else every Social CRM manager of the company."""
        self.ensure_one()
        parent = self.parent_id.sudo()
        for user in (parent.team_id.user_id, parent.source_id.user_id):
            if user and user.active and user.has_group(PUBLISH_GROUP) and self.company_id in user.company_ids:
                return user
        managers = self.env.ref("social_crm.social_crm_group_manager").sudo().users
        return managers.filtered(lambda user: user.active and not user.share and self.company_id in user.company_ids)

    def _request_reply_approval(self):
        """Say on the answered mention that a reply waits, and plan an approval for its approvers."""
        for reply in self.sudo():
            reply.parent_id.message_post(
                body=Markup("<p>%s</p>%s") % (
                    self.env._("%(user)s wrote a reply, waiting for approval:", user=reply.user_id.name),
                    plaintext2html(reply.body)),
                subtype_xmlid="mail.mt_note")
            for approver in reply._reply_approvers():
                reply.activity_schedule(
                    "social_crm.mail_activity_type_social_approve_reply", user_id=approver.id,
                    note=self.env._("Reply of %(user)s to %(author)s", user=reply.user_id.name,
                                    author=reply.parent_id.author_handle))

    def _check_may_approve(self):
        if not (self.env.su or self.env.user.has_group(PUBLISH_GROUP)):
            raise AccessError(self.env._("Only users who may publish replies approve them."))
        if self.filtered(lambda reply: reply.direction != "outbound" or reply.delivery_state != "to_approve"):
            raise UserError(self.env._("Only a reply waiting for approval can be approved or rejected."))

    def action_approve_reply(self):
        """Post the replies waiting for approval: queued for delivery, their mentions answered."""
        self._check_may_approve()
        replies = self.sudo()
        replies._check_deliverable()
        replies.write({"delivery_state": "queued", "delivery_next_at": fields.Datetime.now(), "delivery_error": False})
        replies.activity_feedback(["social_crm.mail_activity_type_social_approve_reply"],
                                  feedback=self.env._("Approved by %(user)s", user=self.env.user.name))
        for reply in replies:
            reply.parent_id._record_reply(reply.body, self.env._(
                "Reply of %(user)s, approved by %(approver)s, sent from %(account)s:", user=reply.user_id.name,
                approver=self.env.user.name, account=reply.account_id.name), author=reply.user_id)
        replies._schedule_delivery()

    def action_open_reject_reply(self):
        """Ask why, then send the replies back (:meth:`action_reject_reply`)."""
        self._check_may_approve()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Do not approve"),
            "res_model": "social.mention.reply.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_reply_ids": self.ids},
        }

    def action_reject_reply(self, reason=False):
        """Send the replies waiting for approval back to their authors, with ``reason``: they may edit
        them and submit them again."""
        self._check_may_approve()
        replies = self.sudo()
        replies.write({"delivery_state": "rejected", "delivery_error": reason or False})
        replies.activity_unlink(["social_crm.mail_activity_type_social_approve_reply"])
        for reply in replies:
            heading = self.env._("%(approver)s did not approve the reply of %(user)s.", approver=self.env.user.name,
                                 user=reply.user_id.name)
            body = Markup("<p>%s</p>") % heading
            if reason:
                body += plaintext2html(reason)
            reply.parent_id.message_post(body=body, subtype_xmlid="mail.mt_note",
                                         partner_ids=reply.user_id.partner_id.ids)

    def _record_reply(self, body, heading, author=None):
        """The answer given (by ``author``, else the current user), kept on the mention and in its
        chatter; its response activity closes."""
        self.write({"reply_body": body, "replied_at": fields.Datetime.now(),
                    "replied_by_id": (author or self.env.user).id, "state": "answered"})
        # plaintext2html escapes the text: markup typed in the reply is shown, never interpreted
        self.message_post(body=Markup("<p>%s</p>%s") % (heading, plaintext2html(body)), subtype_xmlid="mail.mt_note")

    @api.model
    def _cron_deliver_replies(self, batch_size=DELIVERY_BATCH, **publisher_options):
        """Post the queued replies that are due, batch after batch, each committed; answer how many were sent."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        sent = 0
        while True:
            batch = self._lock_due_replies(batch_size)
            if not batch:
                break
            sent += batch._deliver(**publisher_options)
            remaining = self.search_count([("delivery_state", "=", "queued"),
                                           ("delivery_next_at", "<=", fields.Datetime.now())])
            self.env["ir.cron"]._notify_progress(done=sent, remaining=remaining)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            if len(batch) < batch_size:
                break
        return sent

    @api.model
    def _lock_due_replies(self, limit, among=None):
        """The queued replies due now (of the ids ``among``, if given), locked (rows another worker
        holds are skipped): two workers never post the same reply."""
        self.flush_model(["delivery_state", "delivery_next_at"])
        rows = self.env.execute_query(SQL("""
            SELECT id FROM social_mention
             WHERE delivery_state = 'queued' AND (delivery_next_at IS NULL OR delivery_next_at <= %(now)s)
               AND %(among)s
          ORDER BY delivery_next_at, id
             LIMIT %(limit)s
               FOR UPDATE SKIP LOCKED
        """, now=fields.Datetime.now(), limit=limit,
             among=SQL("TRUE") if among is None else SQL("id = ANY(%s)", list(among))))
        return self.sudo().browse([row[0] for row in rows])

    def _deliver(self, **publisher_options):
        """Post these queued replies, one publisher per account; answer how many were sent."""
        sent = 0
        for account in self.account_id:
            replies = self.filtered(lambda reply, account=account: reply.account_id == account)
            publisher = account._get_publisher(**publisher_options)
            for reply in replies:
                sent += reply._deliver_one(publisher)
        return sent

    def _deliver_one(self, publisher):
        """One attempt at posting this reply; answer 1 if it was sent. A reply whose last attempt
        may have reached the network is first looked for among the account's latest posts."""
        self.ensure_one()
        parent = self.parent_id
        if not parent:
            self._delivery_failed(PublishError(self.env._("The mention answered was deleted."), permanent=True))
            return 0
        refs = parent._reply_parent_refs()
        if self.visibility:
            refs["visibility"] = self.visibility  # a private follow-up
        text = self.body or ""
        try:
            published = publisher.find_published(text, refs) if self.delivery_uncertain else None
            published = published or publisher.publish(text, refs, self.delivery_key)
        except PublishError as error:
            self._delivery_failed(error)
            return 0
        self.write({
            "delivery_state": "sent", "delivery_error": False, "delivery_uncertain": False,
            "delivery_attempts": self.delivery_attempts + 1, "delivery_next_at": False,
            "external_id": published.external_id, "url": published.url or False,
            "external_cid": published.extra.get("cid") or False, "posted_at": fields.Datetime.now(),
            "thread_root_external_id": parent.thread_root_external_id or parent.external_id,
            "thread_root_cid": parent.thread_root_cid or parent.external_cid or False,
        })
        return 1

    def _delivery_failed(self, error):
        """A refused reply fails with the network's message; a network that was down, slow or asked
        to wait is tried again later, with back-off, ``Retry-After`` honoured."""
        attempts = self.delivery_attempts + 1
        vals = {"delivery_attempts": attempts, "delivery_error": str(error),
                "delivery_uncertain": self.delivery_uncertain or error.uncertain}
        if error.auth_lost:
            self.account_id._mark_disconnected(str(error))
        if error.permanent or attempts >= MAX_DELIVERY_ATTEMPTS:
            vals.update(delivery_state="failed", delivery_next_at=False)
            _logger.info("Reply %s failed after %s attempts", self.id, attempts)
        else:
            wait = error.retry_after if error.retry_after is not None else RETRY_BASE_SECONDS * 2 ** (attempts - 1)
            vals["delivery_next_at"] = fields.Datetime.now() + timedelta(seconds=min(wait, MAX_RETRY_SECONDS))
        self.write(vals)
        if vals.get("delivery_next_at"):
            self._schedule_delivery(vals["delivery_next_at"])

    def action_retry_delivery(self):
        """Queue failed replies again (after an edit of their text, or once the account is reconnected)."""
        replies = self.filtered(lambda reply: reply.direction == "outbound" and reply.delivery_state == "failed")
        if not replies:
            raise UserError(self.env._("Only a reply that failed can be sent again."))
        replies._check_deliverable()
        replies.sudo().write({"delivery_state": "queued", "delivery_next_at": fields.Datetime.now(),
                              "delivery_error": False, "delivery_attempts": 0})
        replies._schedule_delivery()

    def _check_deliverable(self):
        """Raise UserError unless each reply of ``self`` still fits its network (its text may have been
        edited) and its account is connected."""
        for reply in self:
            reply.parent_id._reply_text(reply.body, reply.account_id)
            if reply.account_id.state != "connected":
                raise UserError(self.env._("%(account)s is disconnected: reconnect it (Test connection) first.",
                                           account=reply.account_id.name))

    def _schedule_delivery(self, when=None):
        """Have the queued replies of ``self`` delivered at ``when`` (now by default): the scheduled
        action *Deliver replies* is woken then; social_crm_queue makes each delivery a job."""
        self.env.ref("social_crm.ir_cron_deliver_replies").sudo()._trigger(when)

    def _resubmit_reply(self, text):
        """A rejected reply, edited by its author: waiting for approval again (posted at once when its
        author may now publish)."""
        self.ensure_one()
        self.parent_id._reply_text(text, self.account_id)
        self.sudo().write({"body": text, "delivery_error": False, "delivery_state": "to_approve"})
        if self._reply_needs_approval():
            self._request_reply_approval()
        else:
            self.sudo().action_approve_reply()

    def action_edit_reply(self):
        """Open the text of a failed or rejected reply, to correct it before sending it again."""
        self.ensure_one()
        if self.direction != "outbound" or self.delivery_state not in ("failed", "rejected"):
            raise UserError(self.env._("Only a reply that failed or was not approved can be edited."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Edit the reply"),
            "res_model": "social.mention.reply",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mention_id": self.parent_id.id, "default_outbound_id": self.id,
                        "default_body": self.body},
        }

    # ------------------------------------------------------------------ conversation

    def _thread(self):
        """The whole conversation of this mention: its first post and every reply to it, at any depth."""
        self.ensure_one()
        rows = self.env.execute_query(SQL("""
            WITH RECURSIVE up(id, parent_id, depth) AS (
                SELECT id, parent_id, 0 FROM social_mention WHERE id = %(id)s
                 UNION ALL
                SELECT m.id, m.parent_id, up.depth + 1 FROM social_mention m JOIN up ON m.id = up.parent_id
                 WHERE up.depth < 100
            ), root AS (
                SELECT id FROM up ORDER BY depth DESC LIMIT 1
            ), down(id, depth) AS (
                SELECT id, 0 FROM root
                 UNION ALL
                SELECT m.id, down.depth + 1 FROM social_mention m JOIN down ON m.parent_id = down.id
                 WHERE down.depth < 100
            )
            SELECT id FROM down
        """, id=self.id))
        return self.search([("id", "in", [row[0] for row in rows])], order="posted_at, id")

    def action_view_conversation(self):
        """The conversation of this mention as a thread: what was said and what we answered, in order."""
        self.ensure_one()
        self.flush_model(["parent_id"])
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Conversation"),
            "res_model": "social.mention",
            "views": [(self.env.ref("social_crm.social_mention_view_list_conversation").id, "list"), (False, "form")],
            "domain": [("id", "in", self._thread().ids)],
            "context": {"create": False},
        }

