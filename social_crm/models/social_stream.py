"""Live sources: the fields and the batch step of the ``social-stream`` command (see
``tools/stream.py``), which reads the networks' streams and calls :meth:`SocialSource._stream_store`
once per source and batch, in the batch's transaction."""
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..connectors.jetstream import DEFAULT_JETSTREAM_URL

LIVE_TYPES = ("bluesky",)


class SocialSource(models.Model):
    _inherit = "social.source"

    live = fields.Boolean(
        string="Stream in real time", compute="_compute_live", store=True, readonly=False, precompute=True,
        help="Mentions arrive as they are posted, through the social-stream command, instead of every few "
             "minutes. The source is still polled on its schedule, which fills any gap the stream left.")
    stream_url = fields.Char(
        string="Stream URL", default=DEFAULT_JETSTREAM_URL,
        help="The Jetstream instance streaming Bluesky's posts (one of the public ones by default).")
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

    @api.constrains("live", "source_type", "stream_url")
    def _check_live(self):
        for source in self.filtered("live"):
            if source.source_type not in LIVE_TYPES:
                raise ValidationError(self.env._("%(name)s cannot stream: only Bluesky sources stream in real time.",
                                                 name=source.name))
            if not (source.stream_url or "").startswith(("ws://", "wss://")):
                raise ValidationError(self.env._("The stream URL of %(name)s must start with wss:// or ws://.",
                                                 name=source.name))

    @api.model
    def _stream_sources(self, source_ids=None):
        """The sources the stream command holds: active, live, of a type that streams, with a query
        (among ``source_ids`` when given)."""
        domain = [("active", "=", True), ("live", "=", True), ("source_type", "in", list(LIVE_TYPES)),
                  ("query", "!=", False)]
        return self.search(domain + ([("id", "in", list(source_ids))] if source_ids is not None else []))

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
