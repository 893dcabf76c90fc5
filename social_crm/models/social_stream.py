"""Live sources: the fields and the batch step of the ``social-stream`` command (see
``tools/stream.py``), which reads the networks' streams and calls :meth:`SocialSource._stream_store`
once per source and batch, in the batch's transaction."""
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..connectors import ConnectorError, check_url_allowed, public_url
from ..connectors.jetstream import DEFAULT_JETSTREAM_URL, JetstreamReader, check_stream_url
from ..connectors.mastodon_stream import MastodonStreamReader, streaming_url

LIVE_TYPES = ("bluesky", "mastodon")
STREAM_TIMELINES = [
    ("hashtag", "Hashtag"),
    ("public", "Federated timeline (filtered by the search query)"),
    ("local", "Local timeline of the instance (filtered by the search query)"),
    ("user", "Mentions of my account (and replies to it)"),
]


class SocialSource(models.Model):
    _inherit = "social.source"

    live = fields.Boolean(
        string="Stream in real time", compute="_compute_live", store=True, readonly=False, precompute=True,
        help="Mentions arrive as they are posted, through the social-stream command, instead of every few "
             "minutes. The source is still polled on its schedule, which fills any gap the stream left.")
    stream_url = fields.Char(
        string="Stream URL", compute="_compute_stream_url", store=True, readonly=False, precompute=True,
        help="Bluesky: the Jetstream instance streaming the posts (one of the public ones by default). "
             "Mastodon: the streaming server, when the instance names one of its own (its "
             "urls.streaming_api, e.g. https://streaming.example.social/api/v1/streaming); empty: the "
             "instance's /api/v1/streaming.")
    stream_timeline = fields.Selection(
        selection=STREAM_TIMELINES, string="Stream", default="hashtag",
        help="Which Mastodon stream is read: the hashtag's, the federated or local timeline (every "
             "public post, kept when it matches the search query), or the notifications of the account "
             "whose access token is given (its mentions, replies included).")
    languages = fields.Char(
        help="Keep only posts in these languages (codes separated by commas, e.g. en, fr); empty: every language.")
    stream_cursor = fields.Char(
        readonly=True, copy=False, groups="social_crm.social_crm_group_manager",
        help="Time (in microseconds) of the last event stored: the stream resumes from it after a restart.")
    stream_connected = fields.Boolean(string="Connected", readonly=True, copy=False)
    stream_lag = fields.Float(string="Lag (seconds)", readonly=True, copy=False, digits=(16, 1),
                              help="How far behind the network the last batch stored was.")
    stream_last_event_at = fields.Datetime(string="Last Event", readonly=True, copy=False)
    stream_received_count = fields.Integer(string="Posts Checked", readonly=True, copy=False,
                                           help="Posts the stream delivered and this source's filters looked at.")
    stream_filtered_count = fields.Integer(string="Posts Filtered Out", readonly=True, copy=False)
    stream_deleted_count = fields.Integer(string="Deletions Applied", readonly=True, copy=False)
    stream_last_error = fields.Text(string="Stream Error", readonly=True, copy=False)
    stream_last_error_at = fields.Datetime(string="Stream Error On", readonly=True, copy=False)

    @api.depends("source_type")
    def _compute_live(self):
        for source in self:
            source.live = source.source_type in LIVE_TYPES

    @api.depends("source_type")
    def _compute_stream_url(self):
        for source in self:
            if source.source_type == "bluesky" and not source.stream_url:
                source.stream_url = DEFAULT_JETSTREAM_URL
            elif source.source_type != "bluesky" and source.stream_url == DEFAULT_JETSTREAM_URL:
                source.stream_url = False
            else:
                source.stream_url = source.stream_url

    @api.constrains("live", "source_type", "stream_url")
    def _check_live(self):
        for source in self.filtered("live"):
            if source.source_type not in LIVE_TYPES:
                raise ValidationError(self.env._(
                    "%(name)s cannot stream: only Bluesky and Mastodon sources stream in real time.",
                    name=source.name))
            if source.source_type == "bluesky" and not (source.stream_url or "").startswith(("ws://", "wss://")):
                raise ValidationError(self.env._("The stream URL of %(name)s must start with wss:// or ws://.",
                                                 name=source.name))
            if source.source_type == "mastodon" and source.stream_url and not source.stream_url.startswith(
                    ("https://", "http://")):
                raise ValidationError(self.env._(
                    "The stream URL of %(name)s must start with https:// (Mastodon streams over HTTP).",
                    name=source.name))

    @api.model
    def _stream_sources(self, source_ids=None):
        """The sources the stream command holds: active, live, of a type that streams, configured
        to stream (among ``source_ids`` when given)."""
        domain = [("active", "=", True), ("live", "=", True), ("source_type", "in", list(LIVE_TYPES))]
        sources = self.search(domain + ([("id", "in", list(source_ids))] if source_ids is not None else []))
        return sources.filtered(lambda source: source._stream_ready())

    def _stream_ready(self):
        """Whether this live source says what to listen for: a Bluesky query; a Mastodon hashtag,
        a query for a whole timeline, an access token for the account's mentions."""
        self.ensure_one()
        if self.source_type == "bluesky":
            return bool(self.query)
        if self.source_type == "mastodon":
            return bool(self.base_url) and {
                "hashtag": bool(self.hashtag), "public": bool(self.query), "local": bool(self.query),
                "user": bool(self.sudo().bearer_token)}.get(self.stream_timeline or "hashtag", False)
        return False

    def _stream_channel(self):
        """How the stream command reads this source: ``{"key"`` (sources of one key share a
        connection), ``"shown"`` (its URL, for logs), ``"reader"`` (a :class:`~..connectors.stream.
        StreamReader` class), ``"target"`` (its first argument), ``"keep_all"`` (an empty query keeps
        every post)``}``; raise ConnectorError when its stream may not be reached."""
        self.ensure_one()
        allow_private = self._allow_private_urls()
        if self.source_type == "bluesky":
            url = check_stream_url(self.stream_url, allow_private=allow_private)
            return {"key": url, "shown": url, "reader": JetstreamReader, "target": url}
        if self.source_type == "mastodon":
            source = self.sudo()  # the token is read by the stream, never shown
            timeline = source.stream_timeline or "hashtag"
            config = {
                "base_url": source.base_url, "timeline": timeline, "hashtag": source.hashtag,
                "stream_url": source.stream_url or None, "allow_private": allow_private,
                "access_token": source.bearer_token if timeline == "user" else None,
            }
            url = streaming_url(source.base_url, timeline, source.hashtag, source.stream_url or None)
            check_url_allowed(url, allow_private=allow_private)
            check_url_allowed(source.base_url or "", allow_private=allow_private)  # where the gap is read
            return {"key": f"{url}#source-{self.id}" if timeline == "user" else url, "shown": public_url(url),
                    "reader": MastodonStreamReader, "target": config, "keep_all": True}
        raise ConnectorError(f"Sources of type '{self.source_type}' do not stream.")

    def _poll(self, *args, **kwargs):
        """A Mastodon source streaming a whole timeline or an account's mentions, with neither a
        hashtag nor an account to poll, is read by its stream alone (its gaps filled from the timeline)."""
        if self.source_type == "mastodon" and self.live and self.stream_timeline != "hashtag" \
                and not self.hashtag and not self.mastodon_account_id:
            self.write({"last_run_at": fields.Datetime.now(), "last_error": False})
            return {"created": 0, "duplicates": 0, "errors": 0}
        return super()._poll(*args, **kwargs)

    def _stream_store(self, items, deleted_ids, status):
        """Store one batch of this source's stream: new posts, deletions, then the stream's
        ``status`` (counters are added to the stored ones). Answers ``(created, deletions applied)``."""
        self.ensure_one()
        created = self.env["social.mention"]._ingest(self, items)["created"] if items else 0
        forgotten = self.env["social.mention"]._forget_deleted_posts(self, deleted_ids) if deleted_ids else \
            self.env["social.mention"]
        source = self.sudo()
        vals = dict(status)
        for counter in ("stream_received_count", "stream_filtered_count"):
            if counter in vals:
                vals[counter] += source[counter]
        vals["stream_deleted_count"] = source.stream_deleted_count + len(forgotten)
        source.write(vals)
        return created, len(forgotten)


class SocialMention(models.Model):
    _inherit = "social.mention"

    network_deleted_at = fields.Datetime(
        string="Deleted On The Network", readonly=True, copy=False,
        help="The author deleted the post: its text was removed here too.")

    @api.model
    def _forget_deleted_posts(self, source, external_ids):
        """Remove the text of the mentions of ``source`` whose posts were deleted on the network, as
        the right to erasure does (quotes in leads and tracked values, failed items holding them);
        the mention stays, without its text, so that figures already counted keep their count."""
        mentions = self.search([("external_id", "in", list(external_ids)), ("source_id", "=", source.id),
                                ("network_deleted_at", "=", False)])
        Partner = self.env["res.partner"]
        Partner._social_erase_lead_context(mentions)
        Partner._social_erase_trackings(mentions).unlink()
        self.env["social.mention.quarantine"].search(
            [("source_id", "=", source.id), ("external_id", "in", list(external_ids))]).unlink()
        mentions.with_context(tracking_disable=True, mail_notrack=True).write(
            {"body": False, "body_truncated": False, "network_deleted_at": fields.Datetime.now()})
        return mentions
