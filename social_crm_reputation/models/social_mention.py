"""Sentiment of mentions: scored in batches when they are ingested, rescored on demand."""
import threading
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index, split_every

from ..lib import sentiment, stats

POSITIVE_THRESHOLD_PARAM = "social_crm_reputation.positive_threshold"
NEGATIVE_THRESHOLD_PARAM = "social_crm_reputation.negative_threshold"
SENTIMENT_LABELS = [
    ("positive", "Positive"),
    ("neutral", "Neutral"),
    ("negative", "Negative"),
    ("unscored", "Unscored"),
]
SCORING_BATCH = 1000
ANECDOTAL_MIN_CUSTOMERS_PARAM = "social_crm_reputation.anecdotal_min_customers"
ANECDOTAL_MIN_SHARE_PARAM = "social_crm_reputation.anecdotal_min_share"
SURVEY_THRESHOLD_PARAM = "social_crm_reputation.survey_positive_threshold"
SURVEY_IDS_PARAM = "social_crm_reputation.survey_ids"
DEFAULT_SURVEY_THRESHOLD = 70.0
# Without a chosen list, the surveys compared are the scored ones of the types survey's managers may
# read (other apps' types, e.g. recruitment or appraisal, stay private), certifications excepted.
DEFAULT_SURVEY_TYPES = ("survey", "live_session", "assessment", "custom")

_scorer = None
_scorer_lock = threading.Lock()


def get_scorer():
    """The process-wide :class:`sentiment.Scorer`, built on first use (VADER's lexicon is read once)."""
    global _scorer  # noqa: PLW0603 - one analyzer per process, as the library recommends
    if _scorer is None:
        with _scorer_lock:
            if _scorer is None:
                _scorer = sentiment.Scorer()
    return _scorer


class SocialMention(models.Model):
    _inherit = "social.mention"

    sentiment_score = fields.Float(
        string="Sentiment", readonly=True, aggregator="avg", digits=(3, 3),
        help="VADER compound score, from -1 (very negative) to 1 (very positive); empty when unscored.")
    sentiment_label = fields.Selection(
        selection=SENTIMENT_LABELS, string="Sentiment Label", readonly=True, index=True,
        help="Positive, neutral or negative by the thresholds of the settings. Unscored: the text is empty "
             "or not in English, which VADER cannot judge. Empty while the mention waits to be scored.")
    detected_lang = fields.Char(string="Detected Language", readonly=True,
                                help="Language given by the network, or detected from the text.")
    # dimensions of the brand reputation series (sparse keys: the partial index skips empty values)
    team_id = fields.Many2one(
        comodel_name="crm.team", string="Sales Team", index="btree_not_null", ondelete="set null",
        help="Sales team of the assignee, else of the source's responsible: the team the mention counts for "
             "in the brand reputation. Follows the assignee when the mention is reassigned.")
    campaign_id = fields.Many2one(
        comodel_name="utm.campaign", string="Campaign", index="btree_not_null", ondelete="set null",
        help="Campaign of the source when the mention was received.")

    # ------------------------------------------------------------------ scoring

    @api.model
    def _sentiment_thresholds(self):
        """``(positive, negative)`` thresholds of the settings; a clear error when they make no sense."""
        params = self.env["ir.config_parameter"].sudo()
        values = {}
        for key, param, default in (("positive", POSITIVE_THRESHOLD_PARAM, sentiment.POSITIVE_THRESHOLD),
                                    ("negative", NEGATIVE_THRESHOLD_PARAM, sentiment.NEGATIVE_THRESHOLD)):
            raw = params.get_param(param)
            try:
                values[key] = float(raw) if raw not in (None, False, "") else default
            except ValueError:
                raise UserError(self.env._(
                    "The system parameter %(param)s must be a number between -1 and 1, not %(value)r.",
                    param=param, value=raw)) from None
            if not -1.0 <= values[key] <= 1.0:
                raise UserError(self.env._(
                    "The system parameter %(param)s must be a number between -1 and 1, not %(value)r.",
                    param=param, value=raw))
        if values["negative"] > values["positive"]:
            raise UserError(self.env._(
                "The negative sentiment threshold (%(negative)s) cannot be above the positive one (%(positive)s).",
                **values))
        return values["positive"], values["negative"]

    @api.model
    def _sentiment_engine_scores(self, texts, langs):
        """The sentiment engine: one ``(score, language)`` per text of the batch, in order.

        ``score`` goes from -1 (very negative) to 1 (very positive), None for a text the engine
        cannot judge (empty, or in a language it does not read); ``language`` is the given or
        detected ISO 639-1 code, None when unknown. ``langs`` are the languages the networks gave
        (None when they gave none). VADER, for English, here: an addon plugs another engine by
        overriding this method; labels follow the thresholds of the settings whatever the engine.
        """
        return [(score, language) for score, _label, language in get_scorer().score_many(texts, langs)]

    @api.model
    def _sentiment_values(self, bodies, langs):
        """One ``{sentiment_score, sentiment_label, detected_lang}`` per text, scored in one batch."""
        positive, negative = self._sentiment_thresholds()
        results = self._sentiment_engine_scores([body or "" for body in bodies], [lang or None for lang in langs])
        return [{"sentiment_score": score, "sentiment_label": sentiment.label(score, positive, negative),
                 "detected_lang": language or False}
                for score, language in results]

    def init(self):
        super().init()
        # the series' job, woken up by every ingested batch, looks for the mentions changed since its
        # last run: an index keeps that lookup to the changed rows instead of the whole table
        create_index(self.env.cr, "social_mention_write_date_idx", self._table, ["write_date"])

    @api.model
    def _ingest_enrich_vals(self, vals_list):
        vals_list = super()._ingest_enrich_vals(vals_list)
        self._add_sentiment_vals(vals_list)
        self._add_dimension_vals(vals_list)
        return vals_list

    @api.model
    def _ingest_after_create(self, mentions):
        mentions = super()._ingest_after_create(mentions)
        self._mark_partners_reputation_dirty(mentions.partner_id.ids)  # ingestion does not go through create
        self.env["social.reputation.daily"]._add_mentions(mentions)  # alerts read the series
        self.env["social.reputation.alert"]._detect_for_mentions(mentions)
        return mentions

    @api.model
    def _add_sentiment_vals(self, vals_list):
        todo = [vals for vals in vals_list if "sentiment_label" not in vals]
        if todo:
            scored = self._sentiment_values([vals.get("body") for vals in todo], [vals.get("lang") for vals in todo])
            for vals, sentiment_vals in zip(todo, scored):
                vals.update(sentiment_vals)

    @api.model_create_multi
    def create(self, vals_list):
        # Mentions created outside ingestion (imports, tests, other addons) are scored the same way.
        self._add_sentiment_vals(vals_list)
        self._add_dimension_vals(vals_list)
        mentions = super().create(vals_list)
        self._mark_partners_reputation_dirty(mentions.partner_id.ids)
        return mentions

    def write(self, vals):
        old_partner_ids = self.partner_id.ids if "partner_id" in vals else []
        result = super().write(vals)
        if "user_id" in vals and "team_id" not in vals:
            self._assign_sales_team()
        if ("body" in vals or "lang" in vals) and "sentiment_label" not in vals:
            self._rescore_sentiment()
        if {"partner_id", "posted_at", "reach", "sentiment_score"} & set(vals):
            self._mark_partners_reputation_dirty(old_partner_ids + self.partner_id.ids)
        return result

    def unlink(self):
        partner_ids = self.sudo().partner_id.ids
        days = {posted_at.date() for posted_at in self.sudo().mapped("posted_at") if posted_at}
        result = super().unlink()
        self._mark_partners_reputation_dirty(partner_ids)
        # an erasure keeps the anonymous counts the series already holds (res.partner._social_erase)
        if not self.env.context.get("social_erase_keep_series"):
            self.env["social.reputation.daily"]._refresh_days(days)
        return result

    # ------------------------------------------------------------------ team and campaign

    @api.model
    def _sales_teams_of_users(self, user_ids):
        """``{user id: [(team id, team company id), ...]}``: the active teams of the users, main team
        first (the order of ``res.users.sale_team_id``), read in two queries whatever the number of users."""
        user_ids = [user_id for user_id in user_ids if user_id]
        if not user_ids:
            return {}
        # sudo: which team a user belongs to is organisational data, needed whoever assigns the mention
        members = self.env["crm.team.member"].sudo().search_fetch(
            [("user_id", "in", user_ids), ("crm_team_id.active", "=", True)], ["user_id", "crm_team_id"],
            order="create_date, id")
        members.crm_team_id.fetch(["company_id"])
        teams = defaultdict(list)
        for member in members:
            teams[member.user_id.id].append((member.crm_team_id.id, member.crm_team_id.company_id.id))
        return teams

    @api.model
    def _pick_sales_team(self, teams, user_ids, company_id):
        """The first team of the first of ``user_ids`` that has one in ``company_id`` (or in no company)."""
        for user_id in user_ids:
            for team_id, team_company_id in teams.get(user_id, ()):
                if not team_company_id or team_company_id == company_id:
                    return team_id
        return False

    @api.model
    def _add_dimension_vals(self, vals_list):
        """Complete ``team_id`` and ``campaign_id`` of mention values in batch (one read of the sources,
        two of the users' teams): the campaign of the source, the team of the assignee or else of the
        source's responsible. Values given explicitly are kept. The product is completed too
        (``_add_product_vals``)."""
        self._add_product_vals(vals_list)
        todo = [vals for vals in vals_list if "team_id" not in vals or "campaign_id" not in vals]
        if not todo:
            return
        # sudo: the source's campaign and responsible are needed whoever receives the mention
        sources = self.env["social.source"].sudo().browse({vals["source_id"] for vals in todo if vals.get("source_id")})
        sources.fetch(["campaign_id", "user_id", "company_id"])
        # plain values, looked up once per source and per (assignee, responsible, company), not per mention
        source_of = {source.id: (source.campaign_id.id, source.user_id.id, source.company_id.id) for source in sources}
        teams = self._sales_teams_of_users({vals.get("user_id") for vals in todo} | set(sources.user_id.ids))
        team_of = {}
        for vals in todo:
            campaign_id, responsible_id, source_company_id = source_of.get(vals.get("source_id"), (False,) * 3)
            vals.setdefault("campaign_id", campaign_id)
            if "team_id" not in vals:
                key = (vals.get("user_id"), responsible_id, vals.get("company_id") or source_company_id)
                if key not in team_of:
                    team_of[key] = self._pick_sales_team(teams, key[:2], key[2])
                vals["team_id"] = team_of[key]

    def _assign_sales_team(self):
        """Set the team of ``self`` from its assignee (else the source's responsible), after a reassignment."""
        if not self:
            return
        sources = self.source_id.sudo()  # sudo: see _add_dimension_vals
        teams = self._sales_teams_of_users(set(self.user_id.ids) | set(sources.user_id.ids))
        moves = defaultdict(list)
        for mention in self:
            team_id = self._pick_sales_team(
                teams, (mention.user_id.id, mention.sudo().source_id.user_id.id), mention.company_id.id)
            if team_id != mention.team_id.id:
                moves[team_id].append(mention.id)
        for team_id, mention_ids in moves.items():
            self.browse(mention_ids).write({"team_id": team_id})

    @api.model
    def _mark_partners_reputation_dirty(self, partner_ids):
        """Flag the partners whose reputation must be recomputed by the next incremental run."""
        if partner_ids:
            self.env["res.partner"]._mark_social_reputation_dirty(partner_ids)

    def _rescore_sentiment(self):
        """Score ``self`` again (in batches of ``SCORING_BATCH``), e.g. after a change of thresholds.

        Written with one UPDATE per batch rather than one per mention; ``write_date`` moves so
        reports know the mention changed. Partners and daily figures of the mentions follow.
        """
        if not self:
            return
        self.flush_recordset(["body", "lang"])
        for batch in split_every(SCORING_BATCH, self.ids, self.browse):
            batch = batch.exists()
            rows = batch.sudo().read(["body", "lang"])  # sudo: scoring is not a read by the user
            values = self._sentiment_values([row["body"] for row in rows], [row["lang"] for row in rows])
            self.env.execute_query(SQL("""
                UPDATE social_mention m
                   SET sentiment_score = v.score, sentiment_label = v.label, detected_lang = v.lang,
                       write_date = (now() AT TIME ZONE 'UTC'), write_uid = %(uid)s
                  FROM unnest(%(ids)s::int[], %(scores)s::float8[], %(labels)s::varchar[], %(langs)s::varchar[])
                       AS v(id, score, label, lang)
                 WHERE m.id = v.id
            """, uid=self.env.uid, ids=[row["id"] for row in rows],
                scores=[vals["sentiment_score"] for vals in values],
                labels=[vals["sentiment_label"] for vals in values],
                langs=[vals["detected_lang"] or None for vals in values]))
            batch.invalidate_recordset(
                ["sentiment_score", "sentiment_label", "detected_lang", "write_date", "write_uid"])
            self._mark_partners_reputation_dirty(batch.sudo().partner_id.ids)
            self.env["social.reputation.daily"]._refresh_mentions_days(batch)

    def action_rescore_sentiment(self):
        """Button and list action "Rescore sentiment": score the selected mentions again now."""
        self.check_access("write")
        self._rescore_sentiment()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s mentions rescored.", count=len(self)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @api.model
    def _cron_score_pending_mentions(self, batch_size=SCORING_BATCH):
        """Score mentions that have no sentiment yet (stored before the addon was installed, or
        written to the database by other means), ``batch_size`` at a time, committing each batch."""
        domain = [("sentiment_label", "=", False)]
        todo = self.search(domain, limit=batch_size * 10, order="id")
        total = self.search_count(domain) if len(todo) == batch_size * 10 else len(todo)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        done = 0
        for batch in split_every(batch_size, todo.ids, self.browse):
            batch._rescore_sentiment()
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=total - done)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=E8102 - keep finished batches (see ir_cron._run_job)
        return done

    @api.model
    def _score_all_pending(self):
        """Install hook: score every mention stored before the addon, batch after batch."""
        while True:
            todo = self.search([("sentiment_label", "=", False)], limit=SCORING_BATCH * 10, order="id")
            if not todo:
                return
            for batch in split_every(SCORING_BATCH, todo.ids, self.browse):
                batch._rescore_sentiment()

    # ------------------------------------------------------------------ representativeness

    @api.model
    def _active_customer_ids(self):
        """The active customer base: commercial entities with a sale confirmed in the last 12 months."""
        self.env["sale.order"].flush_model(["partner_id", "state", "date_order"])
        rows = self.env.execute_query(SQL("""
            SELECT DISTINCT partner.commercial_partner_id
              FROM sale_order sale JOIN res_partner partner ON partner.id = sale.partner_id
             WHERE sale.state = 'sale' AND sale.date_order >= %s
        """, fields.Datetime.now() - timedelta(days=365)))
        return [row[0] for row in rows if row[0]]

    @api.model
    def _active_customer_count(self):
        return len(self._active_customer_ids())

    @api.model
    def _anecdotal_limits(self):
        params = self.env["ir.config_parameter"].sudo()
        try:
            min_customers = int(params.get_param(ANECDOTAL_MIN_CUSTOMERS_PARAM) or 30)
            min_share = float(params.get_param(ANECDOTAL_MIN_SHARE_PARAM) or 0.05)
        except ValueError:
            raise UserError(self.env._(
                "The system parameters %(customers)s and %(share)s must be numbers.",
                customers=ANECDOTAL_MIN_CUSTOMERS_PARAM, share=ANECDOTAL_MIN_SHARE_PARAM)) from None
        return {"min_customers": min_customers, "min_share": min_share}

    @api.model
    def get_representativeness(self, domain=None):
        """How far the mentions of ``domain`` stand for the customer base (public, for reports).

        :return: ``{"mentions", "scored", "positive", "negative", "customers", "customer_base",
            "customer_share", "positive_share", "positive_share_low", "positive_share_high", "anecdotal"}``;
            the interval is the 95 % Wilson interval of the share of positive mentions among scored ones.
        """
        domain = list(domain or [])
        groups = self._read_group(domain, ["sentiment_label"], ["__count"])
        counts = {label: count for label, count in groups}
        scored = sum(counts.get(label, 0) for label in ("positive", "neutral", "negative"))
        [(customers,)] = self._read_group(domain + [("partner_id", "!=", False)], [], ["partner_id:count_distinct"])
        base_ids = self._active_customer_ids()
        # the share counts only the speakers who belong to the base, so it never exceeds 100 %
        speaking = 0
        if base_ids:
            [(speaking,)] = self.env.execute_query(SQL(
                "SELECT COUNT(DISTINCT partner.commercial_partner_id) FROM res_partner partner"
                " WHERE partner.id IN (%s) AND partner.commercial_partner_id = ANY(%s)",
                self._search(domain + [("partner_id", "!=", False)]).subselect("partner_id"), base_ids))
        base = len(base_ids)
        share = speaking / base if base else 0.0
        low, high = stats.wilson_interval(counts.get("positive", 0), scored)
        return {
            "mentions": sum(counts.values()), "scored": scored, "positive": counts.get("positive", 0),
            "negative": counts.get("negative", 0), "customers": customers, "customer_base": base,
            "customer_share": share, "positive_share": counts.get("positive", 0) / scored if scored else 0.0,
            "positive_share_low": low, "positive_share_high": high,
            "anecdotal": stats.anecdotal(customers, share, **self._anecdotal_limits()),
        }

    # ------------------------------------------------------------------ survey comparison

    @api.model
    def _survey_installed(self):
        """The ``survey`` app is optional: without it there is nothing to compare with."""
        return "survey.user_input" in self.env

    @api.model
    def _survey_settings(self):
        """``(threshold, survey_ids)``: the score (%) from which an answer counts as satisfied, and the
        surveys compared (empty: every scored survey but certifications)."""
        params = self.env["ir.config_parameter"].sudo()
        raw_threshold = params.get_param(SURVEY_THRESHOLD_PARAM)
        raw_ids = params.get_param(SURVEY_IDS_PARAM) or ""
        try:
            threshold = float(raw_threshold) if raw_threshold not in (None, False, "") else DEFAULT_SURVEY_THRESHOLD
        except ValueError:
            threshold = -1.0
        if not 0.0 <= threshold <= 100.0:
            raise UserError(self.env._(
                "The system parameter %(param)s must be a score between 0 and 100, not %(value)r.",
                param=SURVEY_THRESHOLD_PARAM, value=raw_threshold))
        try:
            survey_ids = [int(part) for part in raw_ids.split(",") if part.strip()]
        except ValueError:
            raise UserError(self.env._(
                "The system parameter %(param)s must list survey ids separated by commas, not %(value)r.",
                param=SURVEY_IDS_PARAM, value=raw_ids)) from None
        return threshold, survey_ids

    @api.model
    def _survey_latest_answers_sql(self, partners, start=None, stop=None, settings=None):
        """SQL of each partner's latest completed answer to a compared survey.

        ``partners`` is SQL selecting partner ids; ``start``/``stop`` bound the date of the answer (its
        completion, else its creation) when given. Test entries and surveys without scoring never count.
        ``settings`` are those of :meth:`_survey_settings`, when the caller has read them already.
        Columns: ``partner_id, answer_id, survey_id, score, answered_at, satisfied``.
        """
        threshold, survey_ids = settings or self._survey_settings()
        self.env["survey.user_input"].flush_model(
            ["survey_id", "partner_id", "state", "test_entry", "scoring_percentage", "end_datetime"])
        self.env["survey.survey"].flush_model(["scoring_type", "certification", "survey_type"])
        if survey_ids:
            surveys = SQL("s.id = ANY(%s)", survey_ids)
        else:
            surveys = SQL("s.certification IS NOT TRUE AND s.survey_type IN %s", DEFAULT_SURVEY_TYPES)
        period = SQL(" AND ").join(
            [SQL("TRUE")]
            + ([SQL("COALESCE(a.end_datetime, a.create_date) >= %s", start)] if start else [])
            + ([SQL("COALESCE(a.end_datetime, a.create_date) < %s", stop)] if stop else []))
        return SQL("""
            SELECT DISTINCT ON (a.partner_id)
                   a.partner_id, a.id AS answer_id, a.survey_id, a.scoring_percentage AS score,
                   COALESCE(a.end_datetime, a.create_date) AS answered_at,
                   a.scoring_percentage >= %(threshold)s AS satisfied
              FROM survey_user_input a
              JOIN survey_survey s ON s.id = a.survey_id
             WHERE a.state = 'done' AND a.test_entry IS NOT TRUE AND a.partner_id IN (%(partners)s)
               AND s.scoring_type <> 'no_scoring' AND %(surveys)s AND %(period)s
          ORDER BY a.partner_id, COALESCE(a.end_datetime, a.create_date) DESC, a.id DESC
        """, threshold=threshold, partners=partners, surveys=surveys, period=period)

    @api.model
    def _survey_comparison(self, domain, date_from, date_to):
        """The social figure of ``domain`` next to the survey figure of the same customers.

        Compared customers: those with a scored mention of ``domain`` posted in ``[date_from, date_to]``
        (days, UTC) and a completed answer to a compared survey in the same days; each counts with their
        latest answer of the period (satisfied when its score reaches the threshold). Both shares carry
        their 95 % Wilson interval: the social one over the compared customers' scored mentions, the
        survey one over the customers. The agreement rate counts, among the customers whose mentions lean
        one way (more positive than negative ones, or the reverse), those whose answer leans the same way.

        :return: None without the ``survey`` app; else ``{"customers", "mentions", "social_positive",
            "social_positive_share", "social_positive_share_low", "social_positive_share_high",
            "survey_satisfied", "survey_positive_share", "survey_positive_share_low",
            "survey_positive_share_high", "difference", "signed_customers", "agreements",
            "agreement_rate", "customer_base", "customer_share", "anecdotal", "threshold"}``, with
            ``customers`` = 0 when nobody can be compared.
        """
        if not self._survey_installed():
            return None
        start = fields.Datetime.to_datetime(date_from)
        stop = fields.Datetime.to_datetime(date_to + timedelta(days=1))
        mentions = self._search(list(domain or []) + [
            ("posted_at", ">=", start), ("posted_at", "<", stop), ("partner_id", "!=", False),
            ("sentiment_label", "in", ["positive", "neutral", "negative"])])
        self.flush_model(["partner_id", "sentiment_label"])
        base_ids = self._active_customer_ids()
        settings = self._survey_settings()
        # One query: the social side per customer, the latest answer per customer, their agreement.
        # Mentions follow the user's record rules (_search); answers are read in SQL whatever the
        # user's survey rights, as only counts leave this method.
        [(customers, scored, positive, satisfied, signed, agreements, in_base)] = self.env.execute_query(SQL("""
            WITH social AS (
                SELECT m.partner_id, COUNT(*) AS scored,
                       COUNT(*) FILTER (WHERE m.sentiment_label = 'positive') AS positive,
                       COUNT(*) FILTER (WHERE m.sentiment_label = 'negative') AS negative
                  FROM social_mention m
                 WHERE m.id IN %(mentions)s
              GROUP BY m.partner_id
            ), survey AS (%(answers)s)
            SELECT COUNT(*), COALESCE(SUM(social.scored), 0)::int, COALESCE(SUM(social.positive), 0)::int,
                   COUNT(*) FILTER (WHERE survey.satisfied),
                   COUNT(*) FILTER (WHERE social.positive <> social.negative),
                   COUNT(*) FILTER (WHERE social.positive <> social.negative
                                      AND (social.positive > social.negative) = survey.satisfied),
                   COUNT(DISTINCT partner.commercial_partner_id)
                       FILTER (WHERE partner.commercial_partner_id = ANY(%(base)s))
              FROM social
              JOIN survey ON survey.partner_id = social.partner_id
              JOIN res_partner partner ON partner.id = social.partner_id
        """, mentions=mentions.subselect(), base=base_ids,
            answers=self._survey_latest_answers_sql(SQL("SELECT partner_id FROM social"), start, stop, settings)))
        threshold = settings[0]
        social_low, social_high = stats.wilson_interval(positive, scored)
        survey_low, survey_high = stats.wilson_interval(satisfied, customers)
        social_share = positive / scored if scored else 0.0
        survey_share = satisfied / customers if customers else 0.0
        customer_share = in_base / len(base_ids) if base_ids else 0.0
        return {
            "customers": customers, "mentions": scored, "social_positive": positive,
            "social_positive_share": social_share,
            "social_positive_share_low": social_low, "social_positive_share_high": social_high,
            "survey_satisfied": satisfied, "survey_positive_share": survey_share,
            "survey_positive_share_low": survey_low, "survey_positive_share_high": survey_high,
            "difference": social_share - survey_share if customers else 0.0,
            "signed_customers": signed, "agreements": agreements,
            "agreement_rate": agreements / signed if signed else 0.0,
            "customer_base": len(base_ids), "customer_share": customer_share,
            "anecdotal": stats.anecdotal(customers, customer_share, **self._anecdotal_limits()),
            "threshold": threshold,
        }
