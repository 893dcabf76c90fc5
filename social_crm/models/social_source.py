import json
import logging
import secrets
import threading
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import MissingError, UserError
from odoo.tools import file_open

from ..connectors import (
    PROXY_PARAM,
    BlueskyConnector,
    ConnectorError,
    MastodonConnector,
    RedditConnector,
    RssConnector,
    XConnector,
)
from .res_config_settings import ALLOW_PRIVATE_SOURCE_URLS

_logger = logging.getLogger(__name__)

SOURCE_TYPES = [
    ("rss", "RSS / Atom feed"),
    ("mastodon", "Mastodon"),
    ("reddit", "Reddit"),
    ("bluesky", "Bluesky"),
    ("x", "X API v2"),
    ("webhook", "Webhook"),
    ("csv", "CSV import"),
]
MAX_PAGES_PER_RUN = 20
MAX_RECORD_ID = 2**31 - 1  # ids are PostgreSQL integers


class SocialSource(models.Model):
    """One configured stream of mentions: a feed, a network search, a webhook or CSV imports.

    Source types grow from other addons, as ``fetchmail.server``'s do: ``selection_add`` on
    ``source_type`` (with an ``ondelete`` policy that keeps the sources' mentions),
    :meth:`_get_connector_class` or :meth:`_get_connector` overridden for the new type (calling
    ``super()`` for the others) and :meth:`_connector_config` extended with its settings; see the
    addon social_crm_youtube.
    """

    _name = "social.source"
    _description = "Social Source"
    _inherit = ["mail.thread", "social.network.mixin"]
    _order = "sequence, name"

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    source_type = fields.Selection(selection=SOURCE_TYPES, string="Type", required=True, tracking=True)
    network = fields.Selection(
        compute="_compute_network", store=True, readonly=False, required=True, precompute=True,
        help="Network of the mentions of this source, when the items do not say it themselves.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, default=lambda self: self.env.company)
    user_id = fields.Many2one(
        comodel_name="res.users", string="Responsible", domain="[('share', '=', False)]",
        help="New mentions of this source are assigned to this user.")
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", ondelete="set null", check_company=True,
        help="The team answering this source: its working hours and response target give the response "
             "deadline of new mentions (else the company's working hours and the default target).")

    # type-specific configuration
    url = fields.Char(string="Feed URL")
    base_url = fields.Char(string="Server URL",
                           help="Mastodon instance, or the API address when it is not the public one.")
    hashtag = fields.Char()
    mastodon_account_id = fields.Char(string="Mastodon Account ID", help="Mastodon account whose statuses are read.")
    account_id = fields.Many2one(
        comodel_name="social.account", string="Answer From", ondelete="set null", check_company=True,
        domain="[('network', '=', network)]",
        help="The account that answers this source's mentions; when empty, the company's account of the network.")
    subreddit = fields.Char()
    query = fields.Char(string="Search Query")
    page_size = fields.Integer(default=50)
    poll_minutes = fields.Integer(string="Poll Every (minutes)", default=30)

    # secrets: Social CRM managers only (never sent to other users, over RPC either)
    bearer_token = fields.Char(groups="social_crm.social_crm_group_manager", copy=False,
                               help="X API v2 bearer token; for a Mastodon source streaming the mentions of "
                                    "an account, that account's access token (scope read).")
    webhook_secret = fields.Char(
        groups="social_crm.social_crm_group_manager", copy=False,
        default=lambda self: secrets.token_urlsafe(32),
        help="Key of the HMAC-SHA256 signature (header X-Social-CRM-Signature) of pushed mentions.")
    webhook_url = fields.Char(compute="_compute_webhook_url", string="Webhook Address")

    # progress of the polling
    cursor = fields.Char(readonly=True, copy=False, groups="social_crm.social_crm_group_manager",
                         help="Where the next poll resumes.")
    last_run_at = fields.Datetime(readonly=True, copy=False)
    last_error = fields.Text(readonly=True, copy=False)
    last_error_at = fields.Datetime(readonly=True, copy=False)
    fetched_count = fields.Integer(
        string="Items Polled", readonly=True, copy=False,
        help="Items received by the polls of this source (pushed and imported items are not counted).")
    last_poll_warning_count = fields.Integer(
        string="Items Not Stored", readonly=True, copy=False,
        help="Items the last poll received but could not store: they are in Failed Items.")
    last_poll_warning = fields.Text(
        string="Not Stored Because", readonly=True, copy=False,
        help="Why the last poll stored fewer items than it received.")
    mention_count = fields.Integer(compute="_compute_counts")
    quarantine_count = fields.Integer(compute="_compute_counts", string="Failed Items")
    import_job_count = fields.Integer(compute="_compute_import_job_count", string="Imports",
                                      groups="social_crm.social_crm_group_manager")

    _sql_constraints = [
        ("page_size_range", "CHECK(page_size BETWEEN 1 AND 100)", "The page size must be between 1 and 100."),
        ("poll_minutes_positive", "CHECK(poll_minutes >= 1)", "Poll at most once a minute."),
    ]

    @api.depends("source_type")
    def _compute_network(self):
        """Sources of a network's API hold mentions of that network (the ``network`` of their
        connector class); feeds, webhooks and imports keep the one chosen."""
        for source in self:
            connector_class = source._get_connector_class()
            source.network = (connector_class and connector_class.network) or source.network or "other"

    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for source in self:
            source.webhook_url = f"{base}/social_crm/webhook/{source.id}" \
                if source.source_type == "webhook" and source.id else False

    def _compute_counts(self):
        mentions = dict(self.env["social.mention"]._read_group(
            [("source_id", "in", self.ids)], ["source_id"], ["__count"]))
        failed = dict(self.env["social.mention.quarantine"]._read_group(
            [("source_id", "in", self.ids), ("state", "=", "failed")], ["source_id"], ["__count"]))
        for source in self:
            source.mention_count = mentions.get(source, 0)
            source.quarantine_count = failed.get(source, 0)

    def _accepts_unknown_authors(self):
        """Whether items naming no author are kept, as mentions of an unknown author (a feed entry
        may name none: see ``Connector.accepts_unknown_authors``)."""
        self.ensure_one()
        connector_class = self._get_connector_class()
        return bool(connector_class and connector_class.accepts_unknown_authors)

    def _compute_import_job_count(self):
        counts = dict(self.env["social.mention.import.job"]._read_group(
            [("source_id", "in", self.ids)], ["source_id"], ["__count"]))
        for source in self:
            source.import_job_count = counts.get(source, 0)

    def action_view_import_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_import_job_action")
        action["domain"] = [("source_id", "=", self.id)]
        return action

    def action_view_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_action")
        action["domain"] = [("source_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_quarantine(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_quarantine_action")
        action["domain"] = [("source_id", "=", self.id)]
        return action

    def action_regenerate_secret(self):
        self.ensure_one()
        self.webhook_secret = secrets.token_urlsafe(32)

    def action_poll_now(self):
        """Poll this source now (a manager's button); the scheduled action does the same for due sources."""
        self.ensure_one()
        if not self._is_polled():
            raise UserError(self.env._("%(source)s is not polled: its mentions are pushed or imported.",
                                       source=self.name))
        result = self._poll()
        if self.last_error and self.last_error_at == self.last_run_at:
            # told, not raised: an error would undo the record of the failed run on the source
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "danger",
                    "sticky": True,
                    "title": self.env._("%(name)s could not be read", name=self.name),
                    "message": self.last_error,
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        message = self.env._("%(created)s new mentions, %(duplicates)s already known, %(errors)s failed.", **result)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if self.last_poll_warning else "success",
                # what was not stored, or why the poll stopped early (a quota)
                "message": f"{message}\n{self.last_poll_warning}" if self.last_poll_warning else message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------ polling

    def _get_connector_class(self):
        """The :class:`~..connectors.base.Connector` class that reads this source; None for the
        types whose mentions are pushed (webhook) or imported (CSV)."""
        self.ensure_one()
        return {
            "rss": RssConnector,
            "mastodon": MastodonConnector,
            "reddit": RedditConnector,
            "bluesky": BlueskyConnector,
            "x": XConnector,
        }.get(self.source_type)

    def _is_polled(self):
        """Whether this source is read by polling (a connector) rather than pushed or imported."""
        self.ensure_one()
        return bool(self._get_connector_class())

    @api.model
    def _polled_source_types(self):
        """The source types read by polling, those of other addons included."""
        return [source_type for source_type, _label in self._fields["source_type"].selection
                if self.new({"source_type": source_type})._is_polled()]

    def _get_connector(self, **options):
        """The connector that reads this source, configured by :meth:`_connector_config`; raise
        ConnectorError when it is not polled or its settings are incomplete.

        ``options`` are the keyword arguments of ``Connector`` (timeouts, retries, ``sleep``). An
        addon adding a source type overrides this method, or :meth:`_get_connector_class` when its
        connector takes the usual arguments.
        """
        self.ensure_one()
        connector_class = self._get_connector_class()
        if connector_class is None:
            raise ConnectorError(f"There is no connector for sources of type '{self.source_type}'.")
        return connector_class(self._connector_config(), allow_private=self._allow_private_urls(), **options)

    def _connector_config(self):
        """The settings the connector reads (``Connector.config``); extended by the addons of other types."""
        self.ensure_one()
        source = self.sudo()  # the token is read by the poller, never shown to the user
        return {
            "url": source.url, "base_url": source.base_url, "hashtag": source.hashtag,
            "mastodon_account_id": source.mastodon_account_id, "subreddit": source.subreddit, "query": source.query,
            "bearer_token": source.bearer_token, "page_size": source.page_size, "network": source.network,
        }

    def _allow_private_urls(self):
        """Source URLs may reach loopback and private addresses only if an administrator said so, for all sources."""
        return ALLOW_PRIVATE_SOURCE_URLS.read(self.env)

    def _source_proxy(self):
        """The proxy an administrator set for reading sources (system parameter), or None: proxies of
        the server's environment are never used (see ``PinnedAddressAdapter``)."""
        return (self.env["ir.config_parameter"].sudo().get_param(PROXY_PARAM) or "").strip() or None

    def _poll(self, max_pages=MAX_PAGES_PER_RUN, auto_commit=False, **connector_options):
        """Fetch pages until the source has nothing more (or ``max_pages``), ingesting each.

        The cursor is saved with every ingested page, and committed with it when ``auto_commit``
        (the cron), so an interrupted run resumes where it stopped, without loss or duplicate.
        """
        self.ensure_one()
        totals = {"created": 0, "duplicates": 0, "errors": 0}
        received, errors = 0, []
        now = fields.Datetime.now()
        cursor = self.sudo().cursor
        connector = None
        try:
            connector = self._get_connector(**{"proxy": self._source_proxy(), **connector_options})
            for _page_number in range(max_pages):
                page = connector.fetch_page(cursor or None)
                result = self.env["social.mention"]._ingest(self, page.items)
                cursor = page.next_cursor
                totals["created"] += result["created"]
                totals["duplicates"] += result["duplicates"]
                totals["errors"] += len(result["errors"])
                received += len(page.items)
                errors += result["errors"]
                self.sudo().write({
                    "cursor": cursor, "fetched_count": self.fetched_count + len(page.items), "last_run_at": now,
                    **self._poll_warning_vals(received, errors, connector.stop_reason),
                    **self._poll_connector_vals(connector)})
                if auto_commit:
                    # keep every finished page (see ir_cron._run_job)
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                if not page.has_more:
                    break
        except ConnectorError as error:
            _logger.warning("Polling %s (#%s) failed: %s", self.name, self.id, error)
            self.write({"last_error": str(error), "last_error_at": now, "last_run_at": now,
                        **self._poll_warning_vals(received, errors, connector and connector.stop_reason)})
            if connector:
                self.sudo().write(self._poll_connector_vals(connector))
            return totals
        self.write({"last_error": False, **self._poll_warning_vals(received, errors, connector.stop_reason)})
        return totals

    def _poll_connector_vals(self, connector):
        """Values the source keeps of what ``connector`` counted during a run (an API's quota
        used, say), written with every page and after a failed run; none for the types here."""
        return {}

    def _poll_warning_vals(self, received, errors, stop_reason=None, shown=3):
        """What the source says of a poll that stored fewer items than it received: how many were
        not stored and why (the first ``shown`` reasons; all are in Failed Items), and why the
        connector stopped before the end of the source (``Connector.stop_reason``)."""
        notes = [stop_reason] if stop_reason else []
        if errors:
            reasons = "\n".join(
                f"{error['id'] or '#' + str(error['index'])}: {error['error']}" for error in errors[:shown])
            more = len(errors) - shown
            message = self.env._("%(failed)s of the %(received)s items received were not stored (see Failed Items):",
                                 failed=len(errors), received=received)
            if more > 0:
                reasons += "\n" + self.env._("… and %(count)s more.", count=more)
            notes.append(f"{message}\n{reasons}")
        return {"last_poll_warning_count": len(errors), "last_poll_warning": "\n\n".join(notes) or False}

    @api.model
    def _find_by_id(self, source_id):
        """The source of id ``source_id``, archived ones included; empty for anything else a client
        may send in its place (a string, a list, null, a number beyond the ids PostgreSQL holds)."""
        if isinstance(source_id, bool) or not isinstance(source_id, int) or not 0 < source_id <= MAX_RECORD_ID:
            return self.browse()
        source = self.with_context(active_test=False).browse(source_id)
        try:
            source.active  # noqa: B018 - reads the source (its fields at once): found, in one query
        except MissingError:
            return self.browse()
        return source

    @api.model
    def _cron_poll_sources(self, batch_size=10):
        """Poll the sources whose interval has elapsed, most overdue first (:meth:`_poll_due_sources`)."""
        sources = self.search([("active", "=", True), ("source_type", "in", self._polled_source_types())])
        now = fields.Datetime.now()
        due = sources.filtered(
            lambda s: not s.last_run_at or s.last_run_at + timedelta(minutes=s.poll_minutes) <= now
        ).sorted(lambda s: s.last_run_at or fields.Datetime.from_string("1970-01-01"))
        return due._poll_due_sources(batch_size=batch_size)

    def _poll_due_sources(self, batch_size=10):
        """Poll the first ``batch_size`` sources of ``self`` (due, most overdue first) one after the
        other, each page committed; the cron runner calls again at once while some remain. Answer
        how many were polled. social_crm_queue makes one job of each source instead."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        batch = self[:batch_size]
        for done, source in enumerate(batch, start=1):
            source._poll(auto_commit=auto_commit)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(self) - done)
        return len(batch)

    @api.model
    def _load_demo_mentions(self, source_id, path):
        """Demo data: ingest the items of a JSON file, dated ``age_hours`` before now."""
        with file_open(path) as demo_file:
            items = json.load(demo_file)
        now = fields.Datetime.now()
        for item in items:
            item["posted_at"] = (now - timedelta(hours=item.pop("age_hours"))).isoformat() + "Z"
        self.env["social.mention"]._ingest(self.browse(source_id), items)
        self.env["social.mention"]._create_queued_signal_leads()  # the demo shows its leads at once
