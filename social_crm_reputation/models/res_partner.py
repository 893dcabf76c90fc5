"""Reputation of a customer from the sentiment of their mentions, computed in SQL.

For a partner with scored mentions i (sentiment sᵢ in -1..1, posted aᵢ days before the
reference time, author reach rᵢ) each mention weighs

    wᵢ = 0.5 ** (aᵢ / half_life) × (1 + ln(1 + rᵢ))

(time decay: a mention one half-life old counts half; reach: an author with 1,000 followers
weighs 7.9 times one with none, with a logarithm so that a celebrity does not drown everyone).
The partner's mean Σwᵢsᵢ / Σwᵢ is shrunk towards the population mean μ with a prior weight k
(``stats.shrunk_score``), then mapped to 0..100 (``stats.to_reputation``, 50 = neutral):

    score = to_reputation((Σwᵢsᵢ + μk) / (Σwᵢ + k))

μ and k (``stats.estimate_prior_weight``) are estimated once a day from every partner and kept
in system parameters with their reference time (midnight UTC), so that every score computed the
same day uses the same prior and the same ages: recomputing a partner alone or all partners gives
the same value. The trend is the score minus the score the partner had 30 days earlier (from the
mentions posted by then, aged from then). Unscored mentions (non-English, empty) are left out;
a partner without scored mention has no score (NULL) and evidence 0.

A contact is shared by the companies, its mentions are not (each is of its source's company): the
figures are kept per company (company-dependent fields), each from that company's mentions only,
so a user sees, for the current company, figures resting only on mentions they may read. The prior
is estimated from every partner's mentions, all companies together.
"""
import json
import logging
import threading
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index, float_round, formatLang, split_every

from odoo.addons.social_crm.tools.concurrency import execute_unless_contended

from ..lib import stats
from .res_config_settings import HALF_LIFE_DAYS, HIGH_VALUE_THRESHOLD

_logger = logging.getLogger(__name__)

PRIOR_MEAN_PARAM = "social_crm_reputation.prior_mean"
PRIOR_WEIGHT_PARAM = "social_crm_reputation.prior_weight"
PRIOR_DATE_PARAM = "social_crm_reputation.prior_date"
TREND_DAYS = 30
SCORED_LABELS = ("positive", "neutral", "negative")  # the ORM stores 0.0, not NULL, for unscored
BATCH_SIZE = 5000  # partners per query and per committed cron batch (bench/bench_reputation.py)
# From this many partners, one sequential scan of all mentions beats index scans batch after batch.
FULL_SCAN_MIN_PARTNERS = 50000
CUSTOMER_VALUE_MONTHS = 12
# Segment "high value × negative": a customer worth at least the threshold whose reputation is
# below NEGATIVE_SEGMENT_SCORE, or fell by more than NEGATIVE_SEGMENT_TREND points in 30 days.
NEGATIVE_SEGMENT_SCORE = 40
NEGATIVE_SEGMENT_TREND = -10

# Weight of one mention as a SQL expression over social_mention m, aged from %(ref)s. In float8
# throughout: EXTRACT returns numeric, and power() on numeric is about ten times slower.
_WEIGHT = """power(0.5::float8, GREATEST(EXTRACT(EPOCH FROM (%(ref)s - m.posted_at))::float8 / 86400.0::float8,
                                   0::float8) / %(half_life)s::float8)
             * (1 + ln(1 + GREATEST(m.reach, 0)::float8))"""


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Internal figures about the customer: not readable by portal and public users, who read their own contact.
    social_reputation_score = fields.Float(
        string="Social Reputation", readonly=True, digits=(5, 1), aggregator="avg", company_dependent=True,
        groups="base.group_user",
        help="0 (very negative) to 100 (very positive), 50 is neutral: the time-decayed, reach-weighted "
             "sentiment of this contact's mentions, pulled towards the average of all customers when the "
             "evidence is thin. Empty when no mention could be scored.")
    social_reputation_evidence = fields.Integer(
        string="Reputation Evidence", readonly=True, company_dependent=True, groups="base.group_user",
        help="Number of scored mentions of the current company the social reputation rests on.")
    social_reputation_trend = fields.Float(
        string="Reputation Trend (30 days)", readonly=True, digits=(5, 1), company_dependent=True,
        groups="base.group_user",
        help="Change of the social reputation over the last 30 days, in points.")
    social_reputation_date = fields.Datetime(string="Reputation Computed On", readonly=True, groups="base.group_user")
    social_reputation_dirty = fields.Boolean(
        string="Reputation To Recompute", readonly=True, copy=False, groups="base.group_user",
        help="A mention of this contact changed since the reputation was last computed.")
    social_reputation_score_text = fields.Char(
        string="Reputation Score", compute="_compute_social_reputation_badge", groups="base.group_user",
        help="The social reputation rounded to a whole number, out of 100.")
    social_reputation_summary = fields.Char(
        string="Reputation Evidence and Trend", compute="_compute_social_reputation_badge", groups="base.group_user",
        help="The mentions the social reputation rests on, and its change over the last 30 days in points.")
    social_reputation_badge = fields.Char(
        string="Reputation", compute="_compute_social_reputation_badge", groups="base.group_user",
        help="The social reputation as every screen shows it: the score out of 100, the mentions it rests on "
             "and its change in points over the last 30 days (▲ up, ▼ down).")
    social_customer_value = fields.Monetary(
        string="Customer Value (12 months)", readonly=True, index=True, copy=False, currency_field="currency_id",
        groups="base.group_user",
        help="Untaxed amount of this contact's confirmed sales orders of the last 12 months, converted to "
             "the currency of each order's company (shown in the contact's company currency); refreshed by "
             "the reputation scheduled action.")
    social_high_value_negative = fields.Boolean(
        string="High Value Turning Negative", compute="_compute_social_segments",
        search="_search_social_high_value_negative", groups="base.group_user",
        help="Customer value at or above the threshold of the settings (social_crm_reputation."
             "high_value_threshold) and a social reputation below 40, or down by more than 10 points "
             "in 30 days.")
    social_reputation_no_signal = fields.Boolean(
        string="No Social Signal", compute="_compute_social_segments",
        search="_search_social_reputation_no_signal", groups="base.group_user",
        help="No scored mention: the reputation of this contact is unknown.")

    @api.depends("social_reputation_score", "social_reputation_evidence", "social_reputation_trend")
    @api.depends_context("company", "lang")
    def _compute_social_reputation_badge(self):
        """"62/100", "32 mentions ▲ +10.9 pts" and both together ("62/100 · 32 mentions ▲ +10.9 pts"):
        one rounding of the score for the smart buttons and the tab, the trend with its sign and unit."""
        for partner in self:
            evidence = partner.social_reputation_evidence
            if not evidence:
                partner.social_reputation_score_text = partner.social_reputation_summary = False
                partner.social_reputation_badge = False
                continue
            score = self.env._("%(score)s/100", score=int(float_round(partner.social_reputation_score, 0)))
            mentions = (self.env._("1 mention") if evidence == 1 else
                        self.env._("%(count)s mentions", count=formatLang(self.env, evidence, digits=0)))
            trend = float_round(partner.social_reputation_trend or 0.0, 1)
            points = formatLang(self.env, abs(trend), digits=1)
            if trend > 0:
                change = self.env._("▲ +%(points)s pts", points=points)
            elif trend < 0:
                change = self.env._("▼ −%(points)s pts", points=points)
            else:
                change = self.env._("±%(points)s pts", points=points)
            summary = self.env._("%(mentions)s %(change)s", mentions=mentions, change=change)
            partner.social_reputation_score_text = score
            partner.social_reputation_summary = summary
            partner.social_reputation_badge = self.env._("%(score)s · %(summary)s", score=score, summary=summary)

    def init(self):
        result = super().init()
        # The incremental run looks for the few flagged partners among all of them.
        create_index(self.env.cr, "res_partner_social_reputation_dirty_idx", self._table,
                     ["id"], where="social_reputation_dirty")
        return result

    # ------------------------------------------------------------------ segmentation

    @api.model
    def _social_high_value_threshold(self):
        return HIGH_VALUE_THRESHOLD.read(self.env)

    @api.model
    def _social_high_value_negative_domain(self):
        return [("social_customer_value", ">=", self._social_high_value_threshold()),
                ("social_reputation_evidence", ">", 0),
                "|", ("social_reputation_score", "<", NEGATIVE_SEGMENT_SCORE),
                ("social_reputation_trend", "<", NEGATIVE_SEGMENT_TREND)]

    @api.model
    def _social_no_signal_domain(self):
        return ["|", ("social_reputation_evidence", "=", False), ("social_reputation_evidence", "=", 0)]

    @api.depends("social_customer_value", "social_reputation_evidence", "social_reputation_score",
                 "social_reputation_trend")
    def _compute_social_segments(self):
        threshold = self._social_high_value_threshold()
        for partner in self:
            evidence = partner.social_reputation_evidence
            partner.social_reputation_no_signal = not evidence
            partner.social_high_value_negative = bool(
                evidence and partner.social_customer_value >= threshold
                and (partner.social_reputation_score < NEGATIVE_SEGMENT_SCORE
                     or partner.social_reputation_trend < NEGATIVE_SEGMENT_TREND))

    def _search_segment(self, operator, value, domain):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("This segment can only be searched as set or not set."))
        if (operator == "=") == value:
            return domain
        # not "!": NULL columns (no sales, no score) would drop out of the complement
        return [("id", "not in", self.with_context(active_test=False)._search(domain))]

    def _search_social_high_value_negative(self, operator, value):
        return self._search_segment(operator, value, self._social_high_value_negative_domain())

    def _search_social_reputation_no_signal(self, operator, value):
        return self._search_segment(operator, value, self._social_no_signal_domain())

    @api.model
    def _recompute_social_customer_value(self, partner_ids=None):
        """Store the confirmed sales of the last 12 months of every customer (or of ``partner_ids``)
        with one set-based UPDATE; contacts whose sales left the window go back to 0."""
        self.env["sale.order"].flush_model(["partner_id", "state", "date_order", "amount_untaxed", "currency_rate"])
        self.flush_model(["social_customer_value"])
        since = fields.Datetime.now() - relativedelta(months=CUSTOMER_VALUE_MONTHS)
        restrict = SQL("AND p.id = ANY(%s)", list(partner_ids)) if partner_ids is not None else SQL()
        self.env.execute_query(SQL("""
            UPDATE res_partner p
               SET social_customer_value = v.value
              FROM (SELECT p.id, COALESCE(s.value, 0) AS value
                      FROM res_partner p
                 LEFT JOIN (SELECT so.partner_id,
                                   SUM(CASE WHEN so.currency_rate > 0 THEN so.amount_untaxed / so.currency_rate
                                            ELSE so.amount_untaxed END) AS value
                              FROM sale_order so
                             WHERE so.state = 'sale' AND so.date_order >= %(since)s
                          GROUP BY so.partner_id) s ON s.partner_id = p.id
                     WHERE (s.partner_id IS NOT NULL OR p.social_customer_value <> 0) %(restrict)s) v
             WHERE p.id = v.id AND p.social_customer_value IS DISTINCT FROM v.value
        """, since=since, restrict=restrict))
        self.invalidate_model(["social_customer_value"])

    # ------------------------------------------------------------------ parameters and prior

    @api.model
    def _social_reputation_half_life(self):
        return HALF_LIFE_DAYS.read(self.env)

    @api.model
    def _social_reputation_prior(self, refresh=False, aggregates=None):
        """``{"ref", "mean", "weight", "half_life"}``: the population prior of today.

        Recomputed (and stored) when it was computed on an earlier day or when ``refresh``, from
        ``aggregates`` (``_social_reputation_aggregates`` of all partners, aged from today) if given.
        """
        params = self.env["ir.config_parameter"].sudo()
        half_life = self._social_reputation_half_life()
        today = datetime.combine(fields.Date.context_today(self.with_context(tz="UTC")), time.min)
        stored_date = params.get_param(PRIOR_DATE_PARAM)
        if not refresh and stored_date == fields.Datetime.to_string(today):
            try:
                return {"ref": today, "mean": float(params.get_param(PRIOR_MEAN_PARAM)),
                        "weight": float(params.get_param(PRIOR_WEIGHT_PARAM)), "half_life": half_life}
            except (TypeError, ValueError):  # damaged by hand: estimated again below
                _logger.warning("The stored reputation prior is not a number: estimated again.")
        prior = self._social_reputation_estimate_prior(today, half_life, aggregates)
        params.set_param(PRIOR_MEAN_PARAM, repr(prior["mean"]))
        params.set_param(PRIOR_WEIGHT_PARAM, repr(prior["weight"]))
        params.set_param(PRIOR_DATE_PARAM, fields.Datetime.to_string(today))
        return prior

    @api.model
    def _social_reputation_aggregates(self, ref, half_life, partner_ids=None):
        """``{partner_id: {company_id: (Σw·s, Σw, Σw·s², count, Σw'·s, Σw')}}`` over the scored
        mentions, in one pass.

        w is aged from ``ref``; w' from ``ref`` - 30 days, over the mentions posted by then (the
        trend). Every partner when ``partner_ids`` is None (one sequential scan), else only those.
        """
        self.env["social.mention"].flush_model(
            ["partner_id", "company_id", "sentiment_score", "sentiment_label", "posted_at", "reach"])
        if partner_ids is None:
            where = SQL("m.partner_id IS NOT NULL")
        else:
            where = SQL("m.partner_id = ANY(%s)", list(partner_ids))
        past_weight = _WEIGHT.replace("%(ref)s", "%(past)s")
        # OFFSET 0 keeps the subquery apart, so that each weight is computed once, not once per SUM.
        rows = self.env.execute_query(SQL(f"""
            SELECT partner_id, company_id, SUM(w * s), SUM(w), SUM(w * s * s), COUNT(*), SUM(pw * s), SUM(pw)
              FROM (SELECT m.partner_id, m.company_id, m.sentiment_score AS s, {_WEIGHT} AS w,
                           CASE WHEN m.posted_at <= %(past)s THEN {past_weight} ELSE 0 END AS pw
                      FROM social_mention m
                     WHERE %(where)s AND m.direction IS DISTINCT FROM 'outbound' AND m.sentiment_label IN %(scored)s
                       AND m.sentiment_score IS NOT NULL
                    OFFSET 0) weighted
          GROUP BY partner_id, company_id
        """, ref=ref, past=ref - timedelta(days=TREND_DAYS), half_life=half_life, where=where,
            scored=SCORED_LABELS))  # noqa: S608 - _WEIGHT is a constant
        aggregates = {}
        for partner_id, company_id, *sums in rows:
            aggregates.setdefault(partner_id, {})[company_id] = tuple(sums)
        return aggregates

    @api.model
    def _social_reputation_estimate_prior(self, ref, half_life, aggregates=None):
        """Population mean and prior weight from one aggregate over all scored mentions.

        The within-partner variance σ² is pooled: Σᵢ Σⱼ wᵢⱼ (sᵢⱼ - mᵢ)² / Σ w, so that partners who
        differ more than their mentions do get less shrinkage.
        """
        if aggregates is None:
            aggregates = self._social_reputation_aggregates(ref, half_life)
        means, weights = [], []
        total_weight = total_sum = within = 0.0
        for per_company in aggregates.values():
            weighted_sum, weight, weighted_squares = (sum(sums[i] for sums in per_company.values()) for i in range(3))
            if not weight or weight <= 0:
                continue
            mean = weighted_sum / weight
            means.append(mean)
            weights.append(weight)
            total_weight += weight
            total_sum += weighted_sum
            within += max(0.0, weighted_squares - weight * mean * mean)
        if not total_weight:
            return {"ref": ref, "mean": 0.0, "weight": stats.MAX_PRIOR_WEIGHT, "half_life": half_life}
        population_mean = total_sum / total_weight
        within_variance = within / total_weight
        # A population of single-mention partners has no within variance to pool: use the bound.
        prior_weight = stats.estimate_prior_weight(
            means, weights, within_variance=within_variance if within_variance > 0 else None)
        return {"ref": ref, "mean": population_mean, "weight": prior_weight, "half_life": half_life}

    # ------------------------------------------------------------------ computation

    @api.model
    def _mark_social_reputation_dirty(self, partner_ids):
        """Flag the partners for the next incremental run. Concurrent batches about the same
        customer would wait for their row or fail to serialize: a partner held by another
        transaction (or flagged meanwhile) is queued instead, an insert nothing conflicts with."""
        partner_ids = sorted(set(partner_ids))
        self.flush_model(["social_reputation_dirty"])
        if not execute_unless_contended(self.env.cr, SQL(
                "UPDATE res_partner SET social_reputation_dirty = TRUE"
                " WHERE id = ANY(%s) AND social_reputation_dirty IS NOT TRUE", partner_ids)):
            self.env.execute_query(SQL(
                "INSERT INTO social_reputation_partner_queue (partner_id) SELECT unnest(%s::int[])", partner_ids))
        self.invalidate_model(["social_reputation_dirty"])

    def _compute_social_reputation_values(self, prior, aggregates=None):
        """``{partner_id: {company_id: (score, evidence, trend)}}`` for ``self``, from one aggregate
        query (or from ``aggregates`` of ``_social_reputation_aggregates`` aged from the prior's day)."""
        if aggregates is None:
            aggregates = self._social_reputation_aggregates(prior["ref"], prior["half_life"], self.ids)
        values = {}
        for partner_id in self.ids:
            for company_id, sums in aggregates.get(partner_id, {}).items():
                weighted_sum, weight, _squares, count, past_sum, past_total = sums
                score = stats.to_reputation(stats.shrunk_score(weighted_sum, weight, prior["mean"], prior["weight"]))
                past_score = stats.to_reputation(
                    stats.shrunk_score(past_sum, past_total, prior["mean"], prior["weight"]))
                values.setdefault(partner_id, {})[company_id] = (round(score, 1), count, round(score - past_score, 1))
        return values

    def _recompute_social_reputation(self, prior=None, aggregates=None):
        """Recompute and store the reputation of ``self``, ``BATCH_SIZE`` partners per query.

        Many partners at once (``FULL_SCAN_MIN_PARTNERS``) are aggregated in one scan of the mentions.
        """
        prior = prior or self._social_reputation_prior()
        self.flush_model(["social_reputation_dirty"])
        if aggregates is None and len(self) >= FULL_SCAN_MIN_PARTNERS:
            aggregates = self._social_reputation_aggregates(prior["ref"], prior["half_life"])
        for batch in split_every(BATCH_SIZE, self.ids, self.browse):
            values = batch._compute_social_reputation_values(prior, aggregates)
            ids = batch.ids
            # the queued flags of these partners are those of mentions this computation counts (a
            # queued flag commits with its mentions): they go with it
            self.env.execute_query(SQL(
                "DELETE FROM social_reputation_partner_queue WHERE partner_id = ANY(%s)", ids))
            # company-dependent columns: {"company id": value}, NULL for a partner without scored mention
            scores, evidence, trends = (
                [json.dumps({str(company): figures[index] for company, figures in values[i].items()})
                 if i in values else None for i in ids]
                for index in range(3))
            self.env.execute_query(SQL("""
                UPDATE res_partner p
                   SET social_reputation_score = v.score, social_reputation_evidence = v.evidence,
                       social_reputation_trend = v.trend,
                       -- rewritten only when set: an unchanged value keeps the partial index untouched
                       social_reputation_dirty = CASE WHEN p.social_reputation_dirty THEN FALSE
                                                      ELSE p.social_reputation_dirty END,
                       -- the ORM's clock, which the due partners are compared with (not the database's)
                       social_reputation_date = %s
                  FROM unnest(%s::int[], %s::jsonb[], %s::jsonb[], %s::jsonb[]) AS v(id, score, evidence, trend)
                 WHERE p.id = v.id
            """, fields.Datetime.now(), ids, scores, evidence, trends))
        self.invalidate_recordset([
            "social_reputation_score", "social_reputation_evidence", "social_reputation_trend",
            "social_reputation_date", "social_reputation_dirty"])

    @api.model
    def _recompute_all_social_reputation(self):
        """Estimate the prior of today again and recompute every partner with it, from a single
        scan of the mentions (the prior and the scores share one aggregate). Returns the count."""
        half_life = self._social_reputation_half_life()
        today = datetime.combine(fields.Date.context_today(self.with_context(tz="UTC")), time.min)
        aggregates = self._social_reputation_aggregates(today, half_life)
        prior = self._social_reputation_prior(refresh=True, aggregates=aggregates)
        due = self._social_reputation_due_ids(prior, full=True)
        self.browse(due)._recompute_social_reputation(prior, aggregates)
        return len(due)

    def _recompute_social_reputation_soon(self):
        """Recompute the reputation of ``self`` now when today's prior is known (an aggregate over
        their mentions only); otherwise flag them and wake the scheduled action up, which estimates
        the prior of the day first (a scan of every mention, once a day: not for a user's click)."""
        if not self:
            return
        today = datetime.combine(fields.Date.context_today(self.with_context(tz="UTC")), time.min)
        if self.env["ir.config_parameter"].sudo().get_param(PRIOR_DATE_PARAM) == fields.Datetime.to_string(today):
            self._recompute_social_reputation()
        else:
            self._mark_social_reputation_dirty(self.ids)
            self.env.ref("social_crm_reputation.ir_cron_recompute_reputation").sudo()._trigger()

    def action_recompute_social_reputation(self):
        """Recompute the social reputation of these partners now (public, callable over RPC)."""
        self.check_access("read")
        # sudo: the figures of every company are recomputed, each from that company's mentions only
        self.sudo()._recompute_social_reputation()
        return True

    @api.model
    def _social_reputation_due_ids(self, prior, full=False):
        """Partners to recompute: flagged ones, and every partner computed before ``prior`` was
        estimated (or with evidence but no more scored mention) — all of them when ``full``."""
        self.flush_model(["social_reputation_dirty", "social_reputation_date", "social_reputation_evidence"])
        self.env["social.mention"].flush_model(["partner_id"])
        rows = self.env.execute_query(SQL("""
            SELECT id FROM res_partner WHERE social_reputation_dirty
             UNION
            SELECT partner_id FROM social_reputation_partner_queue
             UNION
            SELECT p.id FROM res_partner p
             WHERE (%(full)s OR p.social_reputation_date IS NULL OR p.social_reputation_date < %(ref)s)
               AND (p.social_reputation_evidence IS NOT NULL
                    OR EXISTS (SELECT 1 FROM social_mention m WHERE m.partner_id = p.id))
             ORDER BY id
        """, full=full, ref=prior["ref"]))
        return [row[0] for row in rows]

    @api.model
    def _cron_recompute_reputation(self, batch_size=BATCH_SIZE, full=False):
        """Recompute the partners whose mentions changed since their last computation.

        Once a day the prior is estimated again and every partner with mentions is recomputed
        with it (ages move on too). Progress is reported per batch; each batch is committed.
        """
        prior = self._social_reputation_prior()
        self._recompute_social_customer_value()
        due = self._social_reputation_due_ids(prior, full=full)
        todo = due[:batch_size * 10]
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        done = 0
        for batch in split_every(batch_size, todo, self.browse):
            batch._recompute_social_reputation(prior)
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(due) - done)
            if auto_commit:
                # keep finished batches (see ir_cron._run_job)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    def action_view_social_reputation_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_group_sentiment": 1}
        return action

    # ------------------------------------------------------------------ erasure and export

    def _social_erase(self):
        """Alerts raised by the partners' mentions go, and so do their scores. The brand series
        keeps the counts it already holds: they name nobody, and the past figures stay as reported."""
        mentions = self._social_data_mentions()
        alerts = self.env["social.reputation.alert"].search([("mention_id", "in", mentions.ids)])
        scored = self.filtered(lambda partner: partner.social_reputation_date or partner.social_reputation_evidence)
        alerts.unlink()  # their chatter goes with them
        counts = super(ResPartner, self.with_context(social_erase_keep_series=True))._social_erase()
        # as a partner without scored mention: no score (NULL, which the ORM would write as 0.0)
        self.flush_recordset(["social_reputation_dirty"])
        self.env.execute_query(SQL("""
            UPDATE res_partner SET social_reputation_score = NULL, social_reputation_evidence = NULL,
                   social_reputation_trend = NULL, social_reputation_date = NULL, social_reputation_dirty = FALSE
             WHERE id = ANY(%s)
        """, self.ids))
        self.invalidate_recordset([
            "social_reputation_score", "social_reputation_evidence", "social_reputation_trend",
            "social_reputation_date", "social_reputation_dirty"])
        counts.update({self.env._("reputation alerts"): len(alerts), self.env._("reputation scores"): len(scored)})
        return counts

    def _social_export_data(self):
        data = super()._social_export_data()
        mentions = self.env["social.mention"].browse(vals["id"] for vals in data["mentions"])
        mentions.fetch(["sentiment_score", "sentiment_label", "detected_lang", "product_id"])
        for vals, mention in zip(data["mentions"], mentions, strict=True):
            vals.update({
                "sentiment_score": mention.sentiment_score if mention.sentiment_label != "unscored" else None,
                "sentiment_label": mention.sentiment_label or None,
                "detected_language": mention.detected_lang or None,
                "product": mention.product_id.display_name or None,
            })
        data["reputation"] = {
            "score": self.social_reputation_score if self.social_reputation_evidence else None,
            "evidence": self.social_reputation_evidence,
            "trend_30_days": self.social_reputation_trend if self.social_reputation_evidence else None,
            "computed_at": fields.Datetime.to_string(self.social_reputation_date) or None,
        }
        data["reputation_alerts"] = [{
            "id": alert.id, "name": alert.name, "kind": alert.kind, "date": fields.Date.to_string(alert.date),
            "mention_id": alert.mention_id.id, "state": alert.state,
        } for alert in self.env["social.reputation.alert"].search([("mention_id", "in", mentions.ids)])]
        return data

class SocialReputationPartnerQueue(models.Model):
    """Partners whose reputation must be recomputed, flagged by transactions that found the
    partner's row taken by another one; the next computation of the partner takes them out."""

    _name = "social.reputation.partner.queue"
    _description = "Customer Reputation Waiting to Be Recomputed"
    _log_access = False

    partner_id = fields.Many2one(comodel_name="res.partner", required=True, index=True, readonly=True,
                                 ondelete="cascade")
