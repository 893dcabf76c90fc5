"""Themes: the key phrases of the mentions by day, and the ones that changed in negative mentions."""
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_unique_index

from ..lib import keywords, themes
from .social_daily_rebuild_mixin import DAYS_PER_BATCH

EXTRACT_BATCH = 2000
EXTRACT_PER_RUN = 20000  # about 15 s of a core
BASELINE_DAYS = 28
THEMES_STALE_PARAM = "social_crm_reputation.theme_series_stale"
KEY_EXPRESSIONS = ["date", "company_id", "source_id", "network", "COALESCE(product_id, 0)", "term"]


class SocialThemeDaily(models.Model):
    """One row per day (UTC), company, source, network, product and key phrase: the received
    mentions carrying the phrase, by sentiment.

    The key phrases of each mention (``social.mention.theme_terms``) are extracted by the series'
    job, off the ingestion path (:meth:`_extract_pending`), and the days are rebuilt from them
    (:meth:`_refresh_days`). :meth:`get_changes` answers the terms that rose in the negative
    mentions of a period against the days before it.
    """

    _name = "social.theme.daily"
    _inherit = ["social.network.mixin", "social.daily.rebuild.mixin"]
    _description = "Daily Themes"
    _order = "date desc, negative_count desc, mention_count desc, id"
    _rec_name = "term"
    _stale_param = THEMES_STALE_PARAM

    date = fields.Date(required=True, index=True, readonly=True)
    term = fields.Char(string="Theme", required=True, readonly=True, index=True,
                       help="A key phrase of the mentions, lower-case.")
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    source_id = fields.Many2one(comodel_name="social.source", required=True, readonly=True, ondelete="cascade")
    network = fields.Selection(required=True, readonly=True)
    product_id = fields.Many2one(comodel_name="product.template", index="btree_not_null", readonly=True,
                                 ondelete="cascade", help="Product the mentions are about (empty: none found).")
    mention_count = fields.Integer(string="Mentions", readonly=True, help="Mentions carrying the theme.")
    positive_count = fields.Integer(string="Positive", readonly=True)
    negative_count = fields.Integer(string="Negative", readonly=True)

    def init(self):
        result = super().init()
        create_unique_index(self.env.cr, f"{self._table}_key_uniq_idx", self._table, KEY_EXPRESSIONS)
        return result

    # ------------------------------------------------------------------ building

    @api.model
    def _ignored_words(self):
        """``{company id: words}`` left out of the key phrases: each company's name and brand keywords."""
        companies = self.env["res.company"].sudo().search_fetch([], ["name", "social_brand_keywords"])
        return {company.id: [company.name, *keywords.split_keywords(company.social_brand_keywords)]
                for company in companies}

    @api.model
    def _extract_pending(self, limit=EXTRACT_PER_RUN):
        """Store the key phrases of up to ``limit`` received mentions that have none yet, newest
        first, and rebuild their days; answer how many were extracted. The series' job calls it
        after its other steps, and wakes itself up again while some are left: a backlog (the
        mentions there were before the install) is worked off run after run, each committed.

        Batches of EXTRACT_BATCH: one read and one update each. Written in SQL without a write
        date, so that the series' job does not see the mentions as changed."""
        Mention = self.env["social.mention"]
        Mention.flush_model(["posted_at", "body", "detected_lang", "lang", "theme_terms", "company_id", "direction"])
        extractors, ignored, days = {}, None, set()
        extracted = 0
        while extracted < limit:
            rows = self.env.execute_query(SQL("""
                SELECT id, company_id, body, COALESCE(NULLIF(detected_lang, ''), lang), posted_at::date
                  FROM social_mention
                 WHERE theme_terms IS NULL AND company_id IS NOT NULL AND direction IS DISTINCT FROM 'outbound'
                   AND posted_at IS NOT NULL
              ORDER BY posted_at DESC LIMIT %s
            """, min(EXTRACT_BATCH, limit - extracted)))
            if not rows:
                break
            if ignored is None:
                ignored = self._ignored_words()
            terms = []
            for _id, company_id, body, lang, day in rows:
                if company_id not in extractors:
                    extractors[company_id] = themes.PhraseExtractor(ignored=ignored.get(company_id, ()))
                terms.append(extractors[company_id].extract_joined(body, lang))
                days.add(day)
            self.env.execute_query(SQL("""
                UPDATE social_mention m SET theme_terms = v.terms
                  FROM unnest(%s::int[], %s::varchar[]) AS v(id, terms) WHERE m.id = v.id
            """, [row[0] for row in rows], terms))
            extracted += len(rows)
        if extracted:
            Mention.invalidate_model(["theme_terms"])
            days = sorted(days)
            for start in range(0, len(days), DAYS_PER_BATCH):
                self._refresh_days(days[start:start + DAYS_PER_BATCH])
        if extracted == limit:  # perhaps more: the next run goes on
            self.env.ref("social_crm_reputation.ir_cron_refresh_reputation_daily").sudo()._trigger()
        return extracted

    @api.model
    def _refresh_days(self, days):
        """Rebuild the rows of ``days`` (dates, UTC) from the key phrases of their mentions: the
        days' rows go, and come back counted."""
        days = sorted(set(days))
        if not days:
            return
        self.env["social.mention"].flush_model(
            ["posted_at", "company_id", "source_id", "network", "product_id", "direction", "sentiment_label"])
        # the days' rows go first, in a statement of their own: a row coming back has the key of one going
        self.env.execute_query(SQL("DELETE FROM social_theme_daily WHERE date = ANY(%s::date[])", days))
        self.env.execute_query(SQL("""
            INSERT INTO social_theme_daily (
                date, company_id, source_id, network, product_id, term, mention_count, positive_count,
                negative_count, create_uid, create_date, write_uid, write_date)
            SELECT m.posted_at::date, m.company_id, m.source_id, m.network, m.product_id, t.term, COUNT(*),
                   COUNT(*) FILTER (WHERE m.sentiment_label = 'positive'),
                   COUNT(*) FILTER (WHERE m.sentiment_label = 'negative'),
                   %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM social_mention m
        CROSS JOIN LATERAL unnest(string_to_array(m.theme_terms, %(separator)s)) AS t(term)
             WHERE m.posted_at >= %(start)s AND m.posted_at < %(stop)s AND m.posted_at::date = ANY(%(days)s::date[])
               AND m.theme_terms <> '' AND m.company_id IS NOT NULL AND m.direction IS DISTINCT FROM 'outbound'
          GROUP BY m.posted_at::date, m.company_id, m.source_id, m.network, m.product_id, t.term
        """, days=days, start=days[0], stop=days[-1] + timedelta(days=1), separator=themes.SEPARATOR,
            uid=self.env.uid))
        self.invalidate_model()

    @api.model
    def _refresh_all(self):
        """Rebuild every day that has mentions (with the brand reputation series), by the series'
        job: a year of a busy brand holds millions of theme occurrences, more than a request
        should count. This marks the themes stale and wakes the job up."""
        self._mark_stale()

    # ------------------------------------------------------------------ what changed

    @api.model
    def get_changes(self, date_from, date_to, domain=None, baseline_days=BASELINE_DAYS, limit=10, min_count=2):
        """The themes most over-represented in the negative mentions from ``date_from`` to
        ``date_to`` (dates, included) against the ``baseline_days`` days before, ranked by the
        weighted log-odds ratio with an informative Dirichlet prior (the themes of every mention of
        both periods), with its z-score (public: for reports, alerts and dashboards).

        ``domain`` narrows the rows (company, source, network, product), record rules apply.

        :return: up to ``limit`` dicts, highest z first, of the over-represented themes (z above
            0) found in at least ``min_count`` negative mentions of the period: ``term``, ``count`` and
            ``baseline_count`` (negative mentions carrying it), ``share`` and ``baseline_share``
            (of the negative theme occurrences of each period), ``log_odds``, ``z`` and
            ``significant`` (z of at least 1.96).
        """
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        baseline_from = date_from - timedelta(days=baseline_days)
        query = self._search(list(domain or []) + [("date", ">=", baseline_from), ("date", "<=", date_to)])
        date_sql = self._field_to_sql(self._table, "date", query)
        negative_sql = self._field_to_sql(self._table, "negative_count", query)
        mentions_sql = self._field_to_sql(self._table, "mention_count", query)
        term_sql = self._field_to_sql(self._table, "term", query)
        in_period = SQL("%s >= %s", date_sql, date_from)
        grouped = SQL("%s GROUP BY %s", query.select(
            SQL("%s AS term", term_sql),
            SQL("COALESCE(SUM(%s) FILTER (WHERE %s), 0) AS period", negative_sql, in_period),
            SQL("COALESCE(SUM(%s) FILTER (WHERE NOT %s), 0) AS baseline", negative_sql, in_period),
            SQL("SUM(%s) AS background", mentions_sql)), term_sql)
        rows = self.env.execute_query(SQL("""
            WITH terms AS (%(grouped)s)
            SELECT term, period, baseline, background, (SELECT SUM(background) FROM terms)
              FROM terms WHERE period > 0 OR baseline > 0
        """, grouped=grouped))
        if not rows:
            return []
        counts = {term: period for term, period, _baseline, _background, _total in rows if period}
        baseline_counts = {term: baseline for term, _period, baseline, _background, _total in rows if baseline}
        prior = {term: background for term, _period, _baseline, background, _total in rows}
        prior_total = rows[0][4]  # every theme of both periods, negative or not: the prior's shares
        changes = themes.log_odds_changes(counts, baseline_counts, prior, prior_total=prior_total)
        n_period, n_baseline = sum(counts.values()), sum(baseline_counts.values())
        result = []
        for change in changes:
            if change.z <= 0:
                break  # the rest were not over-represented
            if change.count < min_count:
                continue
            result.append({
                "term": change.term, "count": change.count, "baseline_count": change.baseline_count,
                "share": change.count / n_period if n_period else 0.0,
                "baseline_share": change.baseline_count / n_baseline if n_baseline else 0.0,
                "log_odds": change.delta, "z": change.z, "significant": change.significant,
            })
            if len(result) == limit:
                break
        return result

    def action_view_negative_mentions(self):
        """The negative mentions of this theme on its day, source and product, in the inbox."""
        self.ensure_one()
        start = datetime.combine(self.date, datetime.min.time())
        return self.env["social.mention"]._theme_mentions_action(
            self.term, start, start + timedelta(days=1),
            [("source_id", "=", self.source_id.id), ("product_id", "=", self.product_id.id)])
