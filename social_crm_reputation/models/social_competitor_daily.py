"""Share of voice and net sentiment of the company against each competitor, by day and network."""
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_unique_index

from ..lib import keywords
from .social_competitor import COMPETITORS_STALE_PARAM
from .social_daily_rebuild_mixin import DAYS_PER_BATCH

SCORED_LABELS = ("positive", "neutral", "negative")


class SocialCompetitorDaily(models.Model):
    """One row per day (UTC), company, network and brand (the company's own, or a competitor's) of
    a company with competitors: the mentions naming the brand, by sentiment, and the voices of every
    brand that day and network, so that the share of voice of any group of rows is its summed
    mentions over its summed voices.

    Every brand has a row for each day and network where some brand was named, zero or not:
    grouped by brand over weeks or networks, each brand's share then rests on the same voices.
    A mention naming two brands is a voice of each (the shares add up to 100 %). Our own replies
    are no voice. Built in SQL by the series' job, off the ingestion path
    (:meth:`_refresh_days`): keywords are matched there, by PostgreSQL, not when mentions arrive.
    """

    _name = "social.competitor.daily"
    _inherit = ["social.network.mixin", "social.daily.rebuild.mixin"]
    _description = "Daily Share of Voice"
    _order = "date desc, own_brand desc, brand, id"
    _rec_name = "brand"
    _stale_param = COMPETITORS_STALE_PARAM

    date = fields.Date(required=True, index=True, readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    network = fields.Selection(required=True, readonly=True)
    competitor_id = fields.Many2one(comodel_name="social.competitor", index="btree_not_null", readonly=True,
                                    ondelete="cascade", help="Empty: the company's own brand.")
    brand = fields.Char(required=True, readonly=True, help="The competitor, or the company for its own brand.")
    own_brand = fields.Boolean(readonly=True, help="The row is the company's own brand.")
    mention_count = fields.Integer(string="Mentions", readonly=True)
    positive_count = fields.Integer(string="Positive", readonly=True)
    neutral_count = fields.Integer(string="Neutral", readonly=True)
    negative_count = fields.Integer(string="Negative", readonly=True)
    scored_count = fields.Integer(string="Scored", readonly=True)
    voice_count = fields.Integer(
        string="Voices", readonly=True,
        help="Mentions of every brand (the company's and its competitors') that day and network.")
    # grouped, both ratios come from the summed counts (see _read_group_select), never from an average of ratios
    share_of_voice = fields.Float(
        string="Share of Voice", readonly=True, aggregator="avg", digits=(5, 4),
        help="Mentions of the brand among the mentions of every brand. For a group of rows (a week, a "
             "network...), from the group's total counts: the share of its brands together (100 % for all).")
    net_sentiment = fields.Float(
        readonly=True, aggregator="avg", digits=(4, 3),
        help="(positive - negative) / scored mentions of the brand, from -1 to 1; for a group of rows, from "
             "the group's total counts.")

    def init(self):
        result = super().init()
        # one row per key; the company's own brand has no competitor, and NULLs never collide: 0 stands for it
        create_unique_index(self.env.cr, f"{self._table}_key_uniq_idx", self._table,
                            ["date", "company_id", "network", "COALESCE(competitor_id, 0)"])
        return result

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        def total(fname):
            return SQL("SUM(%s)", self._field_to_sql(self._table, fname, query))

        if aggregate_spec == "share_of_voice:avg":
            # every brand of a group has its row for the same days and networks, each with their voices:
            # n brands' rows hold n times those voices, so a group of one brand gives its own share, a group
            # of several their share together, and all of them 100 %
            brands = SQL("COUNT(DISTINCT COALESCE(%s, 0))", self._field_to_sql(self._table, "competitor_id", query))
            return SQL("COALESCE(%s::float8 * %s / NULLIF(%s, 0), 0)",
                       total("mention_count"), brands, total("voice_count"))
        if aggregate_spec == "net_sentiment:avg":
            return SQL("COALESCE((%s - %s)::float8 / NULLIF(%s, 0), 0)",
                       total("positive_count"), total("negative_count"), total("scored_count"))
        return super()._read_group_select(aggregate_spec, query)

    # ------------------------------------------------------------------ building

    @api.model
    def _brand_patterns(self):
        """``(competitors, own)``: ``[(competitor id, company id, name, pattern)]`` of the active
        competitors, and ``{company id: (name, pattern or None)}`` of their companies' own brands."""
        # sudo: the series covers every company, whoever runs the job
        competitors = self.env["social.competitor"].sudo().search_fetch(
            [], ["name", "keywords", "company_id"], order="id")
        rows = [(competitor.id, competitor.company_id.id, competitor.name,
                 keywords.postgres_pattern(keywords.split_keywords(competitor.keywords)))
                for competitor in competitors]
        rows = [row for row in rows if row[3]]
        companies = self.env["res.company"].sudo().browse({row[1] for row in rows})
        own = {company.id: (company.name, keywords.postgres_pattern(keywords.split_keywords(
            company.social_brand_keywords))) for company in companies}
        return rows, own

    @api.model
    def _refresh_days(self, days):
        """Rebuild the rows of ``days`` (dates, UTC) from the mentions: the days' rows go, and the
        brands' counts of those days come back, in one statement."""
        days = sorted(set(days))
        if not days:
            return
        competitors, own = self._brand_patterns()
        self.env["social.mention"].flush_model(
            ["posted_at", "company_id", "network", "direction", "body", "sentiment_label"])
        # the days' rows go first, in a statement of their own: a row coming back has the key of one going
        self.env.execute_query(SQL("DELETE FROM social_competitor_daily WHERE date = ANY(%s::date[])", days))
        if not competitors:
            self.invalidate_model()
            return
        companies = list(own)
        self.env.execute_query(SQL("""
            WITH brands AS (
                SELECT * FROM unnest(%(brand_ids)s::int[], %(brand_companies)s::int[], %(brand_names)s::varchar[],
                                     %(brand_patterns)s::varchar[]) AS b(competitor_id, company_id, name, pattern)
            ), own AS (
                SELECT * FROM unnest(%(companies)s::int[], %(own_names)s::varchar[], %(own_patterns)s::varchar[])
                    AS o(company_id, name, pattern)
            ), mentions AS (
                SELECT m.id, m.posted_at::date AS date, m.company_id, m.network, m.body, m.sentiment_label
                  FROM social_mention m
                 WHERE m.posted_at >= %(start)s AND m.posted_at < %(stop)s
                   AND m.posted_at::date = ANY(%(days)s::date[]) AND m.company_id = ANY(%(companies)s::int[])
                   AND m.direction IS DISTINCT FROM 'outbound'
            ), hits AS (
                SELECT m.id, m.date, m.company_id, m.network, m.sentiment_label, b.competitor_id
                  FROM mentions m JOIN brands b ON b.company_id = m.company_id AND m.body ~* b.pattern
            ), voices AS (
                SELECT id, date, company_id, network, sentiment_label, competitor_id FROM hits
                 UNION ALL
                SELECT m.id, m.date, m.company_id, m.network, m.sentiment_label, NULL
                  FROM mentions m JOIN own o ON o.company_id = m.company_id
                 WHERE (o.pattern IS NOT NULL AND m.body ~* o.pattern)
                    OR NOT EXISTS (SELECT 1 FROM hits h WHERE h.id = m.id)
            ), counts AS (
                SELECT date, company_id, network, COALESCE(competitor_id, 0) AS brand_key,
                       COUNT(*) AS mentions,
                       COUNT(*) FILTER (WHERE sentiment_label = 'positive') AS positive,
                       COUNT(*) FILTER (WHERE sentiment_label = 'neutral') AS neutral,
                       COUNT(*) FILTER (WHERE sentiment_label = 'negative') AS negative,
                       COUNT(*) FILTER (WHERE sentiment_label IN %(scored)s) AS scored
                  FROM voices GROUP BY 1, 2, 3, 4
            ), keys AS (
                SELECT DISTINCT date, company_id, network FROM counts
            ), grid AS (
                SELECT k.date, k.company_id, k.network, b.competitor_id, b.name, FALSE AS own_brand
                  FROM keys k JOIN brands b ON b.company_id = k.company_id
                 UNION ALL
                SELECT k.date, k.company_id, k.network, NULL, o.name, TRUE
                  FROM keys k JOIN own o ON o.company_id = k.company_id
            ), fresh AS (
                SELECT g.date, g.company_id, g.network, g.competitor_id, g.name, g.own_brand,
                       COALESCE(c.mentions, 0) AS mentions, COALESCE(c.positive, 0) AS positive,
                       COALESCE(c.neutral, 0) AS neutral, COALESCE(c.negative, 0) AS negative,
                       COALESCE(c.scored, 0) AS scored,
                       SUM(COALESCE(c.mentions, 0)) OVER (PARTITION BY g.date, g.company_id, g.network) AS voices
                  FROM grid g
             LEFT JOIN counts c ON c.date = g.date AND c.company_id = g.company_id AND c.network = g.network
                                AND c.brand_key = COALESCE(g.competitor_id, 0)
            )
            INSERT INTO social_competitor_daily (
                date, company_id, network, competitor_id, brand, own_brand, mention_count, positive_count,
                neutral_count, negative_count, scored_count, voice_count, share_of_voice, net_sentiment,
                create_uid, create_date, write_uid, write_date)
            SELECT date, company_id, network, competitor_id, name, own_brand, mentions, positive, neutral, negative,
                   scored, voices, COALESCE(mentions::float8 / NULLIF(voices, 0), 0),
                   COALESCE((positive - negative)::float8 / NULLIF(scored, 0), 0),
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM fresh
        """, brand_ids=[row[0] for row in competitors], brand_companies=[row[1] for row in competitors],
            brand_names=[row[2] for row in competitors], brand_patterns=[row[3] for row in competitors],
            companies=companies, own_names=[own[company][0] for company in companies],
            own_patterns=[own[company][1] for company in companies],
            start=days[0], stop=days[-1] + timedelta(days=1), days=days, scored=SCORED_LABELS, uid=self.env.uid))
        self.invalidate_model()

    @api.model
    def _refresh_all(self):
        """Rebuild the whole series (with the brand reputation series)."""
        days = self._days_with_mentions()
        self._drop_other_days(days)
        for start in range(0, len(days), DAYS_PER_BATCH):
            self._refresh_days(days[start:start + DAYS_PER_BATCH])
        self.env["ir.config_parameter"].sudo().set_param(self._stale_param, False)
