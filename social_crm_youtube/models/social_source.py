from datetime import datetime

import pytz

from odoo import api, fields, models

from ..connectors import YoutubeConnector

# Google resets the daily quota of the YouTube Data API at midnight, Pacific time.
QUOTA_TIMEZONE = pytz.timezone("America/Los_Angeles")
DEFAULT_DAILY_BUDGET = 1000  # of the 10,000 units a day Google gives a project by default


def _archive_as_imports(sources):
    """On uninstall, YouTube sources keep their mentions: archived, as sources of imports."""
    sources.write({"source_type": "csv", "active": False})


class SocialSource(models.Model):
    _inherit = "social.source"

    source_type = fields.Selection(
        selection_add=[("youtube", "YouTube comments")], ondelete={"youtube": _archive_as_imports})
    youtube_channel_id = fields.Char(
        string="YouTube Channel ID",
        help="The channel whose videos' comments are read: UC followed by 22 characters "
             "(YouTube Studio › Settings › Channel › Advanced settings).")
    # a secret: Social CRM managers only (never sent to other users, over RPC either)
    youtube_api_key = fields.Char(
        string="YouTube API Key", groups="social_crm.social_crm_group_manager", copy=False,
        help="API key of a Google Cloud project with the YouTube Data API v3 enabled.")
    youtube_daily_budget = fields.Integer(
        string="Daily Budget (units)", default=DEFAULT_DAILY_BUDGET,
        help="Most YouTube API units this source may spend a day (each page read costs one, failed calls too). "
             "Polling stops before the budget is exceeded and resumes where it stopped the next day "
             "(the quota resets at midnight, Pacific time).")
    youtube_quota_date = fields.Date(
        string="Quota Day", readonly=True, copy=False, help="Day (Pacific time) of the units counted.")
    youtube_quota_used = fields.Integer(
        string="Units Counted", readonly=True, copy=False, help="YouTube API units spent on the quota day.")
    youtube_quota_used_today = fields.Integer(
        string="Units Used Today", compute="_compute_youtube_quota_used_today",
        help="YouTube API units this source spent today (Pacific time), of its daily budget.")

    _sql_constraints = [
        ("youtube_daily_budget_positive", "CHECK(youtube_daily_budget IS NULL OR youtube_daily_budget >= 1)",
         "The daily budget of YouTube API units must be at least 1."),
    ]

    @api.model
    def _youtube_quota_day(self):
        """Today in Google's quota day (Pacific time)."""
        return datetime.now(QUOTA_TIMEZONE).date()

    @api.depends("youtube_quota_date", "youtube_quota_used")
    def _compute_youtube_quota_used_today(self):
        today = self._youtube_quota_day()
        for source in self:
            source.youtube_quota_used_today = source.youtube_quota_used if source.youtube_quota_date == today else 0

    def _get_connector_class(self):
        if self.source_type == "youtube":
            return YoutubeConnector
        return super()._get_connector_class()

    def _connector_config(self):
        config = super()._connector_config()
        if self.source_type == "youtube":
            source = self.sudo()  # the key is read by the poller, never shown to the user
            config.update({
                "channel_id": source.youtube_channel_id,
                "api_key": source.youtube_api_key,
                "quota_budget": source.youtube_daily_budget or DEFAULT_DAILY_BUDGET,
                "quota_used": source.youtube_quota_used_today,
            })
        return config

    def _poll_connector_vals(self, connector):
        vals = super()._poll_connector_vals(connector)
        if isinstance(connector, YoutubeConnector):
            vals.update({"youtube_quota_date": self._youtube_quota_day(), "youtube_quota_used": connector.quota_used})
        return vals
