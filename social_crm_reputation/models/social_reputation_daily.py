"""Brand reputation as a daily time series, aggregated in SQL from the mentions."""
import random
import threading
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, mute_logger
from odoo.tools.sql import create_unique_index, drop_index

from odoo.addons.social_crm.tools.concurrency import CONCURRENCY_ERRORS, execute_unless_contended
from odoo.addons.social_crm.tools.cron import trigger_cron
from odoo.addons.social_crm.tools.identity import MAX_COUNT

from ..lib import stats

LAST_REFRESH_PARAM = "social_crm_reputation.daily_refreshed_at"
JOB_STEP_ATTEMPTS = 5
DAYS_PER_BATCH = 31
KEY_EXPRESSIONS = [
    "date", "network", "source_id", "company_id", "COALESCE(team_id, 0)", "COALESCE(campaign_id, 0)",
    "COALESCE(product_id, 0)",
]
KEY_SQL = SQL(", ").join(SQL(expression) for expression in KEY_EXPRESSIONS)
COUNT_COLUMNS = ("mention_count", "positive_count", "neutral_count", "negative_count", "unscored_count", "scored_count")
ROW_COLUMNS = SQL(", ").join(SQL.identifier(column) for column in (
    "date", "network", "source_id", "company_id", "team_id", "campaign_id", "product_id", "mention_count",
    "positive_count", "neutral_count", "negative_count", "unscored_count", "scored_count", "net_sentiment",
    "sentiment_avg", "sentiment_sum", "reach", "author_count", "customer_count", "create_uid", "create_date",
    "write_uid", "write_date"))
QUEUE_COLUMNS = SQL(", ").join(SQL.identifier(column) for column in (
    "date", "network", "source_id", "company_id", "team_id", "campaign_id", "product_id", *COUNT_COLUMNS,
    "sentiment_avg", "sentiment_sum", "reach", "author_count", "customer_count"))


class SocialReputationDaily(models.Model):
    """One row per day (UTC), network, source, company, sales team, campaign and product: counts of
    mentions by sentiment.

    Rows are never edited by hand: ingested mentions are added to them (:meth:`_add_mentions`), or
    to the queue of :class:`SocialReputationDailyQueue` while another batch writes the same row, and
    the days whose mentions changed are rebuilt by one ``INSERT … SELECT … ON CONFLICT DO UPDATE``
    (:meth:`_refresh_days`), by the series' job among others. This table grows by
    a few rows a day, so grouping it in pivot and graph views stays cheap whatever the number of
    mentions. Distinct authors and customers are distinct within a row: summed over rows they
    count a person once per row.
    """

    _name = "social.reputation.daily"
    _inherit = ["social.network.mixin"]
    _description = "Daily Brand Reputation"
    _order = "date desc, id desc"
    _rec_name = "date"

    date = fields.Date(required=True, index=True, readonly=True)
    network = fields.Selection(required=True, index=True, readonly=True)
    source_id = fields.Many2one(comodel_name="social.source", required=True, index=True,
                                readonly=True, ondelete="cascade")
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", index="btree_not_null", readonly=True,
                              ondelete="cascade", help="Sales team of the mentions' assignees (empty: none).")
    campaign_id = fields.Many2one(comodel_name="utm.campaign", index="btree_not_null",
                                  readonly=True, ondelete="cascade",
                                  help="Campaign of the mentions' source when they were received (empty: none).")
    product_id = fields.Many2one(comodel_name="product.template", index="btree_not_null",
                                 readonly=True, ondelete="cascade",
                                 help="Product the mentions are about (empty: none found).")
    mention_count = fields.Integer(string="Mentions", readonly=True)
    positive_count = fields.Integer(string="Positive", readonly=True)
    neutral_count = fields.Integer(string="Neutral", readonly=True)
    negative_count = fields.Integer(string="Negative", readonly=True)
    unscored_count = fields.Integer(string="Unscored", readonly=True,
                                    help="Mentions no engine can judge (empty, or in a language without an enabled "
                                         "engine) or not scored yet.")
    scored_count = fields.Integer(string="Scored", readonly=True)
    # grouped, both ratios are computed from the summed counts (see _read_group_select), not averaged per row
    net_sentiment = fields.Float(
        readonly=True, aggregator="avg", digits=(4, 3),
        help="(positive - negative) / scored mentions, from -1 to 1. For a group of rows (a week, a network...), "
             "from the group's total counts, so that every mention weighs the same.")
    sentiment_avg = fields.Float(
        string="Average Sentiment", readonly=True, aggregator="avg", digits=(4, 3),
        help="Mean VADER score of the scored mentions. For a group of rows, the mean over all their scored mentions.")
    sentiment_sum = fields.Float(string="Sentiment Total", readonly=True,
                                 help="Sum of the VADER scores of the scored mentions of the row.")
    reach = fields.Integer(readonly=True, help="Sum of the authors' followers.")
    author_count = fields.Integer(
        string="Distinct Authors", readonly=True,
        help="Distinct authors of the mentions of the row. Just after new mentions arrive it may be a little "
             "low, until the series' scheduled action (started by their arrival) counts the day again.")
    customer_count = fields.Integer(
        string="Distinct Customers", readonly=True,
        help="Distinct contacts the mentions of the row are linked to. Just after new mentions arrive it may "
             "be a little low, until the series' scheduled action (started by their arrival) counts the day again.")

    # representativeness of the row (not stored: the customer base moves every day)
    customer_share = fields.Float(
        string="Share of Customers", compute="_compute_representativeness", digits=(5, 4),
        help="Distinct customers of the row divided by the active customer base (contacts with a customer rank).")
    positive_share_low = fields.Float(
        string="Positive Share (low)", compute="_compute_representativeness", digits=(5, 3),
        help="Lower bound of the 95 % Wilson interval of the share of positive mentions among scored ones.")
    positive_share_high = fields.Float(
        string="Positive Share (high)", compute="_compute_representativeness", digits=(5, 3),
        help="Upper bound of the 95 % Wilson interval of the share of positive mentions among scored ones.")
    anecdotal = fields.Boolean(
        compute="_compute_representativeness",
        help="The row rests on too few customers (or too small a share of them) to stand for the customer base.")

    def init(self):
        result = super().init()
        # One row per key. Team, campaign and product may be empty, and NULLs never collide in a
        # UNIQUE constraint: the unique index compares them as 0. The ON CONFLICT target of
        # _refresh_days repeats these expressions exactly. It replaces the former constraint
        # unique(date, network, source_id, company_id), dropped here on update; an index of a
        # former key (fewer dimensions) is dropped and built again with the current one.
        cr = self.env.cr
        cr.execute(SQL("ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s",
                       SQL.identifier(self._table), SQL.identifier(f"{self._table}_day_key_uniq")))
        index = f"{self._table}_key_uniq_idx"
        cr.execute(SQL("SELECT indnkeyatts FROM pg_index WHERE indexrelid = to_regclass(%s)", index))
        row = cr.fetchone()
        if row and row[0] != len(KEY_EXPRESSIONS):
            drop_index(cr, index, self._table)
        create_unique_index(cr, index, self._table, KEY_EXPRESSIONS)
        return result

    @api.depends("customer_count", "positive_count", "scored_count")
    def _compute_representativeness(self):
        base = self.env["social.mention"]._active_customer_count()
        limits = self.env["social.mention"]._anecdotal_limits()
        for row in self:
            # upper bound: a day's speakers may include contacts outside the base (exact figures
            # for a period come from social.mention.get_representativeness)
            row.customer_share = min(row.customer_count, base) / base if base else 0.0
            row.positive_share_low, row.positive_share_high = stats.wilson_interval(
                min(row.positive_count, row.scored_count), row.scored_count)
            row.anecdotal = stats.anecdotal(row.customer_count, row.customer_share, **limits)

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """Ratios of a group of rows (pivot, graph, list, reports) from its summed counts, as Odoo's
        purchase report weighs its average price: a mean of the rows' ratios would give a day with
        two mentions the weight of a day with two hundred."""
        def total(fname):
            return SQL("SUM(%s)", self._field_to_sql(self._table, fname, query))

        if aggregate_spec == "net_sentiment:avg":
            return SQL("COALESCE((%s - %s)::float8 / NULLIF(%s, 0), 0)",
                       total("positive_count"), total("negative_count"), total("scored_count"))
        if aggregate_spec == "sentiment_avg:avg":
            return SQL("COALESCE(%s / NULLIF(%s, 0), 0)", total("sentiment_sum"), total("scored_count"))
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _aggregate_sql(self, where):
        """SQL of the rows of the mentions selected by ``where`` (a condition on ``m``), ready to be
        inserted: one row per key, with every count, the averages and the distinct counts."""
        scored = ("positive", "neutral", "negative")
        return SQL("""
            SELECT m.posted_at::date, m.network, m.source_id, m.company_id, m.team_id, m.campaign_id, m.product_id,
                   COUNT(*),
                   COUNT(*) FILTER (WHERE m.sentiment_label = 'positive'),
                   COUNT(*) FILTER (WHERE m.sentiment_label = 'neutral'),
                   COUNT(*) FILTER (WHERE m.sentiment_label = 'negative'),
                   COUNT(*) FILTER (WHERE m.sentiment_label = 'unscored' OR m.sentiment_label IS NULL),
                   COUNT(*) FILTER (WHERE m.sentiment_label IN %(scored)s),
                   COALESCE((COUNT(*) FILTER (WHERE m.sentiment_label = 'positive')
                             - COUNT(*) FILTER (WHERE m.sentiment_label = 'negative'))::float8
                            / NULLIF(COUNT(*) FILTER (WHERE m.sentiment_label IN %(scored)s), 0), 0),
                   COALESCE(AVG(m.sentiment_score) FILTER (WHERE m.sentiment_label IN %(scored)s), 0),
                   COALESCE(SUM(m.sentiment_score) FILTER (WHERE m.sentiment_label IN %(scored)s), 0),
                   LEAST(COALESCE(SUM(m.reach), 0), %(max_count)s),
                   COUNT(DISTINCT lower(m.author_handle)), COUNT(DISTINCT m.partner_id),
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM social_mention m
             WHERE m.company_id IS NOT NULL AND m.direction IS DISTINCT FROM 'outbound' AND %(where)s
          GROUP BY m.posted_at::date, m.network, m.source_id, m.company_id, m.team_id, m.campaign_id, m.product_id
        """, scored=scored, uid=self.env.uid, where=where, max_count=MAX_COUNT)

    def _flush_mentions(self):
        self.env["social.mention"].flush_model([
            "posted_at", "network", "source_id", "company_id", "direction", "sentiment_label", "sentiment_score",
            "reach", "author_handle", "partner_id", "team_id", "campaign_id", "product_id"])

    @api.model
    def _refresh_days(self, days, source_ids=None):
        """Rebuild the rows of ``days`` (dates, UTC) from the mentions, in one statement.

        ``source_ids`` limits the work to the rows of those sources (e.g. those of rescored mentions).
        """
        days = sorted(set(days))
        if not days:
            return
        self._flush_mentions()
        sources = list(source_ids) if source_ids else None
        where = SQL("""m.posted_at >= %(start)s AND m.posted_at < %(stop)s AND m.posted_at::date = ANY(%(days)s::date[])
                   AND (%(sources)s::int[] IS NULL OR m.source_id = ANY(%(sources)s::int[]))""",
                    start=days[0], stop=days[-1] + timedelta(days=1), days=days, sources=sources)
        # One statement: the upsert returns the rows the mentions give, and the other rows of these
        # days and sources go (their mentions were deleted, or moved to another day, source, team,
        # campaign or product). Comparing ids keeps the DELETE off the mentions table. The queued
        # figures of these days are those of mentions the rebuild counts (a queued row commits with
        # its mentions, so this snapshot sees both or neither): they go too.
        self.env.execute_query(SQL("""
            WITH dropped_queue AS (
                DELETE FROM social_reputation_daily_queue q
                 WHERE q.date = ANY(%(days)s::date[])
                   AND (%(sources)s::int[] IS NULL OR q.source_id = ANY(%(sources)s::int[]))
            ), fresh AS (
                INSERT INTO social_reputation_daily (%(columns)s) %(rows)s
                ON CONFLICT (%(key)s) DO UPDATE SET
                       mention_count = EXCLUDED.mention_count, positive_count = EXCLUDED.positive_count,
                       neutral_count = EXCLUDED.neutral_count, negative_count = EXCLUDED.negative_count,
                       unscored_count = EXCLUDED.unscored_count, scored_count = EXCLUDED.scored_count,
                       net_sentiment = EXCLUDED.net_sentiment, sentiment_avg = EXCLUDED.sentiment_avg,
                       sentiment_sum = EXCLUDED.sentiment_sum,
                       reach = EXCLUDED.reach, author_count = EXCLUDED.author_count,
                       customer_count = EXCLUDED.customer_count, write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
                RETURNING id)
            DELETE FROM social_reputation_daily d
             WHERE d.date = ANY(%(days)s::date[])
               AND (%(sources)s::int[] IS NULL OR d.source_id = ANY(%(sources)s::int[]))
               AND NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.id = d.id)
        """, columns=ROW_COLUMNS, rows=self._aggregate_sql(where), key=KEY_SQL, days=days, sources=sources))
        self.invalidate_model()

    @api.model
    def _add_mentions(self, mentions):
        """Add new ``mentions`` to their rows in one upsert that reads only them, whatever the
        number of mentions the days already hold (ingestion calls it for each batch).

        Counts, reach and averages are exact at once. Distinct authors and customers cannot be
        added up: a row keeps the larger of its figure and the batch's, a lower bound, until the
        series' job (woken up here) rebuilds the day exactly.

        Concurrent batches of one source and day would all write the same row, waiting for each
        other and failing to serialize: a batch that finds its row taken (for a few milliseconds)
        or changed since it began appends its figures to the queue instead, an insert that nothing
        conflicts with, and the job merges the queue into the rows (:meth:`_merge_queue`).
        """
        if not mentions:
            return
        self._flush_mentions()
        rows = self._aggregate_sql(SQL("m.id = ANY(%s)", mentions.ids))
        if not execute_unless_contended(self.env.cr, self._add_rows_sql(rows)):
            self.env.execute_query(SQL("INSERT INTO social_reputation_daily_queue (%s) SELECT %s FROM (%s) r",
                                       QUEUE_COLUMNS, QUEUE_COLUMNS, self._named_rows_sql(rows)))
        self.invalidate_model()
        trigger_cron(self.env, "social_crm_reputation.ir_cron_refresh_reputation_daily")

    @api.model
    def _named_rows_sql(self, rows):
        """``rows`` (of :meth:`_aggregate_sql`) with their columns named as those of the series."""
        names = SQL(", ").join(SQL.identifier(column) for column in (
            "date", "network", "source_id", "company_id", "team_id", "campaign_id", "product_id", *COUNT_COLUMNS,
            "net_sentiment", "sentiment_avg", "sentiment_sum", "reach", "author_count", "customer_count", "create_uid",
            "create_date", "write_uid", "write_date"))
        return SQL("SELECT * FROM (%s) AS r (%s)", rows, names)

    @api.model
    def _add_rows_sql(self, rows):
        """The upsert adding ``rows`` (all the columns of the series) to the rows of their keys."""
        return SQL("""
            INSERT INTO social_reputation_daily AS d (%(columns)s) %(rows)s
            ON CONFLICT (%(key)s) DO UPDATE SET
                   mention_count = d.mention_count + EXCLUDED.mention_count,
                   positive_count = d.positive_count + EXCLUDED.positive_count,
                   neutral_count = d.neutral_count + EXCLUDED.neutral_count,
                   negative_count = d.negative_count + EXCLUDED.negative_count,
                   unscored_count = d.unscored_count + EXCLUDED.unscored_count,
                   scored_count = d.scored_count + EXCLUDED.scored_count,
                   net_sentiment = COALESCE(
                       (d.positive_count + EXCLUDED.positive_count - d.negative_count - EXCLUDED.negative_count)::float8
                       / NULLIF(d.scored_count + EXCLUDED.scored_count, 0), 0),
                   sentiment_avg = COALESCE(
                       (d.sentiment_avg * d.scored_count + EXCLUDED.sentiment_avg * EXCLUDED.scored_count)
                       / NULLIF(d.scored_count + EXCLUDED.scored_count, 0), 0),
                   sentiment_sum = d.sentiment_sum + EXCLUDED.sentiment_sum,
                   reach = LEAST(d.reach::bigint + EXCLUDED.reach, %(max_count)s),
                   author_count = GREATEST(d.author_count, EXCLUDED.author_count),
                   customer_count = GREATEST(d.customer_count, EXCLUDED.customer_count),
                   write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
        """, columns=ROW_COLUMNS, rows=rows, key=KEY_SQL, max_count=MAX_COUNT)

    @api.model
    def _merge_queue(self):
        """Add the queued figures to their rows and empty the queue, in one statement; answer the
        number of queued rows merged. Rows queued by transactions this one cannot see yet stay
        for the next run."""
        self.flush_model()
        counts = SQL(", ").join(SQL("SUM(q.%s)", SQL.identifier(column)) for column in COUNT_COLUMNS)
        rows = self.env.execute_query(SQL("""
            WITH queued AS (
                DELETE FROM social_reputation_daily_queue q RETURNING q.*
            ), merged AS (
                %(upsert)s
                RETURNING 1
            )
            SELECT (SELECT COUNT(*) FROM queued), (SELECT COUNT(*) FROM merged)
        """, upsert=self._add_rows_sql(SQL("""
                SELECT q.date, q.network, q.source_id, q.company_id, q.team_id, q.campaign_id, q.product_id,
                       %(counts)s,
                       COALESCE((SUM(q.positive_count) - SUM(q.negative_count))::float8
                                / NULLIF(SUM(q.scored_count), 0), 0),
                       COALESCE(SUM(q.sentiment_avg * q.scored_count) / NULLIF(SUM(q.scored_count), 0), 0),
                       SUM(q.sentiment_sum),
                       LEAST(SUM(q.reach), %(max_count)s), MAX(q.author_count), MAX(q.customer_count),
                       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM queued q
              GROUP BY q.date, q.network, q.source_id, q.company_id, q.team_id, q.campaign_id, q.product_id
            """, counts=counts, max_count=MAX_COUNT, uid=self.env.uid))))
        self.invalidate_model()
        return rows[0][0]

    @api.model
    def _with_queue_sql(self, columns):
        """The rows of the series and the queued ones, as ``SELECT columns`` of both: figures to be
        summed (counts, reach) are right at once, whether a batch was added or queued."""
        names = SQL(", ").join(SQL.identifier(column) for column in columns)
        return SQL("(SELECT %s FROM social_reputation_daily UNION ALL SELECT %s FROM social_reputation_daily_queue)",
                   names, names)

    @api.model
    def _refresh_mentions_days(self, mentions):
        """Rebuild the days of ``mentions`` (e.g. mentions just rescored).

        Their days and sources are read in one narrow query (the series covers every mention,
        whoever triggers it), rather than every field of every mention."""
        days, source_ids = set(), set()
        if mentions.ids:
            mentions.flush_recordset(["posted_at", "source_id"])
            for day, source_id in self.env.execute_query(SQL(
                    "SELECT DISTINCT posted_at::date, source_id FROM social_mention WHERE id = ANY(%s)", mentions.ids)):
                if day:
                    days.add(day)
                source_ids.add(source_id)
        self._refresh_days(days, source_ids=sorted(source_ids))

    @api.model
    def _cron_refresh_daily(self, days_per_batch=DAYS_PER_BATCH):
        """Rebuild the days whose mentions changed since the last run (every day the first time).

        Mentions deleted leave no trace to find: "Rebuild all" (``_refresh_all``) catches them.
        """
        params = self.env["ir.config_parameter"].sudo()
        since = params.get_param(LAST_REFRESH_PARAM)
        horizon = self._unseen_changes_horizon()
        self.env["social.mention"].flush_model(["posted_at", "write_date"])
        rows = self.env.execute_query(SQL("""
            SELECT DISTINCT posted_at::date FROM social_mention
             WHERE %(since)s::timestamp IS NULL OR write_date >= %(since)s::timestamp ORDER BY 1
        """, since=since or None))
        days = [row[0] for row in rows]
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        self._job_step(self._merge_queue, auto_commit)
        Competitors, Themes = self.env["social.competitor.daily"], self.env["social.theme.daily"]
        for done in range(0, len(days), days_per_batch):
            self._job_step(lambda start=done: self._refresh_days(days[start:start + days_per_batch]), auto_commit)
            # the share of voice of those days too: keywords are matched here, off the ingestion path
            self._job_step(lambda start=done: Competitors._refresh_days(days[start:start + days_per_batch]),
                           auto_commit)
            self._job_step(lambda start=done: Themes._refresh_days(days[start:start + days_per_batch]), auto_commit)
            done_count = min(done + days_per_batch, len(days))
            self.env["ir.cron"]._notify_progress(done=done_count, remaining=len(days) - done_count)
        # every day, when the competitors or their keywords changed
        Competitors._refresh_stale(lambda step: self._job_step(step, auto_commit))
        # every day's themes, when asked to (``_refresh_all``); then the key phrases of the
        # mentions that have none yet, and the themes of their days
        Themes._refresh_stale(lambda step: self._job_step(step, auto_commit))
        self._job_step(Themes._extract_pending, auto_commit)
        params.set_param(LAST_REFRESH_PARAM, fields.Datetime.to_string(horizon))
        return len(days)

    def _job_step(self, step, auto_commit):
        """Run one step of the series' job, committed when ``auto_commit`` (the scheduled run).

        Batches ingested while the job runs may add to the rows it writes and commit first: the
        step then fails to serialize, and is run again at once on a fresh snapshot, which sees them.
        """
        for attempt in range(1, JOB_STEP_ATTEMPTS + 1):
            try:
                with mute_logger("odoo.sql_db"):  # a failure to serialize is expected: not a bad query
                    step()
                if auto_commit:
                    # keep finished steps (see ir_cron._run_job)
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                return
            except CONCURRENCY_ERRORS:
                if not auto_commit or attempt == JOB_STEP_ATTEMPTS:
                    raise
                self.env.cr.rollback()
                time.sleep(random.uniform(0, 0.1 * attempt))

    @api.model
    def _unseen_changes_horizon(self):
        """The oldest write date a change this transaction cannot see may carry: the start of this
        transaction, or of an older one still open. Odoo stamps rows with the start of the
        transaction that writes them, so a batch ingested while this job runs, committed after it
        took its snapshot, bears an earlier date than the job's start: the next run must still
        look that far back."""
        [(horizon,)] = self.env.execute_query(SQL("""
            SELECT LEAST(now(), MIN(xact_start)) AT TIME ZONE 'UTC' FROM pg_stat_activity
             WHERE datname = current_database() AND backend_type = 'client backend' AND xact_start IS NOT NULL
        """))
        return horizon

    @api.model
    def _refresh_all(self):
        """Rebuild the whole series (install hook, manager action): every day that has mentions."""
        self.env["social.mention"].flush_model(["posted_at"])
        rows = self.env.execute_query(SQL("SELECT DISTINCT posted_at::date FROM social_mention ORDER BY 1"))
        days = [row[0] for row in rows]
        self.env.execute_query(SQL("DELETE FROM social_reputation_daily WHERE NOT (date = ANY(%s::date[]))", days))
        self.env.execute_query(SQL(
            "DELETE FROM social_reputation_daily_queue WHERE NOT (date = ANY(%s::date[]))", days))
        for start in range(0, len(days), DAYS_PER_BATCH):
            self._refresh_days(days[start:start + DAYS_PER_BATCH])
        self.invalidate_model()
        self.env["social.competitor.daily"]._refresh_all()
        self.env["social.theme.daily"]._refresh_all()

    def action_refresh_all(self):
        """Manager button: rebuild the whole brand reputation series now."""
        self.check_access("write")
        self.sudo()._refresh_all()
        return {"type": "ir.actions.client", "tag": "reload"}


class SocialReputationDailyQueue(models.Model):
    """Figures of ingested batches waiting to be added to the daily series.

    Insert-only on the ingestion side: concurrent batches of one source and day append here
    rather than wait for the one row they share. The series' job adds them to their rows and
    deletes them (:meth:`SocialReputationDaily._merge_queue`); a rebuild of a day drops the day's.
    """

    _name = "social.reputation.daily.queue"
    _inherit = ["social.network.mixin"]
    _description = "Daily Brand Reputation Waiting to Be Merged"
    _log_access = False

    date = fields.Date(required=True, index=True, readonly=True)
    network = fields.Selection(required=True, readonly=True)
    source_id = fields.Many2one(comodel_name="social.source", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one(comodel_name="res.company", required=True, readonly=True, ondelete="cascade")
    team_id = fields.Many2one(comodel_name="crm.team", readonly=True, ondelete="cascade")
    campaign_id = fields.Many2one(comodel_name="utm.campaign", readonly=True, ondelete="cascade")
    product_id = fields.Many2one(comodel_name="product.template", readonly=True, ondelete="cascade")
    mention_count = fields.Integer(readonly=True)
    positive_count = fields.Integer(readonly=True)
    neutral_count = fields.Integer(readonly=True)
    negative_count = fields.Integer(readonly=True)
    unscored_count = fields.Integer(readonly=True)
    scored_count = fields.Integer(readonly=True)
    sentiment_avg = fields.Float(readonly=True, help="Mean score of the scored mentions of the batch.")
    sentiment_sum = fields.Float(readonly=True, help="Sum of the scores of the scored mentions of the batch.")
    reach = fields.Integer(readonly=True)
    author_count = fields.Integer(readonly=True)
    customer_count = fields.Integer(readonly=True)
