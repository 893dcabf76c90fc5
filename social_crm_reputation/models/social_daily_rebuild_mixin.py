from odoo import api, models
from odoo.tools import SQL

DAYS_PER_BATCH = 31


class SocialDailyRebuildMixin(models.AbstractModel):
    """A daily series built from the mentions (one ``date`` column), that a change touching every
    day (a new competitor, *Rebuild all* of the themes) marks stale: the series' job then rebuilds
    every day with mentions, by steps it commits, and drops the days left without any.

    A model sets ``_stale_param`` (its ``ir.config_parameter`` flag) and ``_refresh_days(days)``.
    """

    _name = "social.daily.rebuild.mixin"
    _description = "Daily Series Rebuilt When Stale"
    _stale_param = None

    @api.model
    def _mark_stale(self):
        """Every day must be rebuilt: flag it and wake up the series' job."""
        self.env["ir.config_parameter"].sudo().set_param(self._stale_param, "1")
        self.env.ref("social_crm_reputation.ir_cron_refresh_reputation_daily").sudo()._trigger()

    @api.model
    def _refresh_days(self, days):
        raise NotImplementedError

    @api.model
    def _days_with_mentions(self):
        self.env["social.mention"].flush_model(["posted_at"])
        return [row[0] for row in self.env.execute_query(
            SQL("SELECT DISTINCT posted_at::date FROM social_mention ORDER BY 1"))]

    @api.model
    def _drop_other_days(self, days):
        """Drop the rows of days that have no mention any more."""
        self.env.execute_query(SQL("DELETE FROM %s WHERE NOT (date = ANY(%s::date[]))", SQL.identifier(self._table),
                                   days))
        self.invalidate_model()

    @api.model
    def _refresh_stale(self, step):
        """When the series is flagged stale, rebuild every day that has mentions, ``DAYS_PER_BATCH``
        days per ``step(callable)`` (the series' job commits each), then clear the flag.

        :return: the number of days rebuilt (0 when the series was not stale)
        """
        params = self.env["ir.config_parameter"].sudo()
        if not params.get_param(self._stale_param):
            return 0
        days = self._days_with_mentions()
        for start in range(0, len(days), DAYS_PER_BATCH):
            step(lambda start=start: self._refresh_days(days[start:start + DAYS_PER_BATCH]))

        def finish():
            self._drop_other_days(days)
            params.set_param(self._stale_param, False)

        step(finish)
        return len(days)
