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
"""
import threading
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index, split_every

from ..lib import stats

HALF_LIFE_PARAM = "social_crm_reputation.half_life_days"
PRIOR_MEAN_PARAM = "social_crm_reputation.prior_mean"
PRIOR_WEIGHT_PARAM = "social_crm_reputation.prior_weight"
PRIOR_DATE_PARAM = "social_crm_reputation.prior_date"
DEFAULT_HALF_LIFE_DAYS = 90.0
TREND_DAYS = 30
SCORED_LABELS = ("positive", "neutral", "negative")  # the ORM stores 0.0, not NULL, for unscored
BATCH_SIZE = 500

# Weight of one mention as a SQL expression over social_mention m, aged from %(ref)s.
_WEIGHT = """power(0.5, GREATEST(EXTRACT(EPOCH FROM (%(ref)s - m.posted_at)) / 86400.0, 0) / %(half_life)s)
             * (1 + ln(1 + GREATEST(m.reach, 0)))"""


class ResPartner(models.Model):
    _inherit = "res.partner"

    social_reputation_score = fields.Float(
        string="Social Reputation", readonly=True, digits=(5, 1), aggregator="avg",
        help="0 (very negative) to 100 (very positive), 50 is neutral: the time-decayed, reach-weighted "
             "sentiment of this contact's mentions, pulled towards the average of all customers when the "
             "evidence is thin. Empty when no mention could be scored.")
    social_reputation_evidence = fields.Integer(
        string="Reputation Evidence", readonly=True,
        help="Number of scored mentions the social reputation rests on.")
    social_reputation_trend = fields.Float(
        string="Reputation Trend (30 days)", readonly=True, digits=(5, 1),
        help="Change of the social reputation over the last 30 days, in points.")
    social_reputation_date = fields.Datetime(string="Reputation Computed On", readonly=True)
    social_reputation_dirty = fields.Boolean(
        string="Reputation To Recompute", readonly=True, copy=False,
        help="A mention of this contact changed since the reputation was last computed.")

    def init(self):
        super().init()
        # The incremental run looks for the few flagged partners among all of them.
        create_index(self.env.cr, "res_partner_social_reputation_dirty_idx", self._table,
                     ["id"], where="social_reputation_dirty")

    # ------------------------------------------------------------------ parameters and prior

    @api.model
    def _social_reputation_half_life(self):
        raw = self.env["ir.config_parameter"].sudo().get_param(HALF_LIFE_PARAM)
        try:
            half_life = float(raw) if raw not in (None, False, "") else DEFAULT_HALF_LIFE_DAYS
        except ValueError:
            half_life = -1.0
        if not half_life > 0:
            raise UserError(self.env._(
                "The system parameter %(param)s must be a positive number of days, not %(value)r.",
                param=HALF_LIFE_PARAM, value=raw))
        return half_life

    @api.model
    def _social_reputation_prior(self, refresh=False):
        """``{"ref", "mean", "weight", "half_life"}``: the population prior of today.

        Recomputed (and stored) when it was computed on an earlier day or when ``refresh``.
        """
        params = self.env["ir.config_parameter"].sudo()
        half_life = self._social_reputation_half_life()
        today = datetime.combine(fields.Date.context_today(self.with_context(tz="UTC")), time.min)
        stored_date = params.get_param(PRIOR_DATE_PARAM)
        if not refresh and stored_date == fields.Datetime.to_string(today):
            try:
                return {"ref": today, "mean": float(params.get_param(PRIOR_MEAN_PARAM)),
                        "weight": float(params.get_param(PRIOR_WEIGHT_PARAM)), "half_life": half_life}
            except (TypeError, ValueError):
                pass  # damaged by hand: estimated again below
        prior = self._social_reputation_estimate_prior(today, half_life)
        params.set_param(PRIOR_MEAN_PARAM, repr(prior["mean"]))
        params.set_param(PRIOR_WEIGHT_PARAM, repr(prior["weight"]))
        params.set_param(PRIOR_DATE_PARAM, fields.Datetime.to_string(today))
        return prior

    @api.model
    def _social_reputation_estimate_prior(self, ref, half_life):
        """Population mean and prior weight from one aggregate over all scored mentions.

        The within-partner variance σ² is pooled: Σᵢ Σⱼ wᵢⱼ (sᵢⱼ - mᵢ)² / Σ w, so that partners who
        differ more than their mentions do get less shrinkage.
        """
        self.env["social.mention"].flush_model(["partner_id", "sentiment_score", "posted_at", "reach"])
        rows = self.env.execute_query(SQL(f"""
            SELECT SUM(w * score), SUM(w), SUM(w * score * score)
              FROM (SELECT m.partner_id, m.sentiment_score AS score, {_WEIGHT} AS w
                      FROM social_mention m
                     WHERE m.partner_id IS NOT NULL AND m.sentiment_label IN %(scored)s
                       AND m.sentiment_score IS NOT NULL) weighted
          GROUP BY partner_id
        """, ref=ref, half_life=half_life, scored=SCORED_LABELS))  # noqa: S608 - _WEIGHT is a constant
        means, weights = [], []
        total_weight = total_sum = within = 0.0
        for weighted_sum, weight, weighted_squares in rows:
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
        self.flush_model(["social_reputation_dirty"])
        self.env.execute_query(SQL(
            "UPDATE res_partner SET social_reputation_dirty = TRUE"
            " WHERE id = ANY(%s) AND social_reputation_dirty IS NOT TRUE",
            list(set(partner_ids))))
        self.invalidate_model(["social_reputation_dirty"])

    def _compute_social_reputation_values(self, prior):
        """``{partner_id: (score, evidence, trend)}`` for ``self`` from one aggregate query."""
        past = prior["ref"] - timedelta(days=TREND_DAYS)
        self.env["social.mention"].flush_model(["partner_id", "sentiment_score", "posted_at", "reach"])
        past_weight = _WEIGHT.replace("%(ref)s", "%(past)s")
        rows = self.env.execute_query(SQL(f"""
            SELECT m.partner_id,
                   SUM({_WEIGHT} * m.sentiment_score), SUM({_WEIGHT}), COUNT(*),
                   SUM(CASE WHEN m.posted_at <= %(past)s THEN {past_weight} * m.sentiment_score ELSE 0 END),
                   SUM(CASE WHEN m.posted_at <= %(past)s THEN {past_weight} ELSE 0 END)
              FROM social_mention m
             WHERE m.partner_id = ANY(%(ids)s) AND m.sentiment_label IN %(scored)s
                       AND m.sentiment_score IS NOT NULL
          GROUP BY m.partner_id
        """, ref=prior["ref"], past=past, half_life=prior["half_life"], ids=self.ids,
            scored=SCORED_LABELS))  # noqa: S608
        values = {}
        for partner_id, weighted_sum, weight, count, past_sum, past_total in rows:
            score = stats.to_reputation(stats.shrunk_score(weighted_sum, weight, prior["mean"], prior["weight"]))
            past_score = stats.to_reputation(
                stats.shrunk_score(past_sum, past_total, prior["mean"], prior["weight"]))
            values[partner_id] = (round(score, 1), count, round(score - past_score, 1))
        return values

    def _recompute_social_reputation(self, prior=None):
        """Recompute and store the reputation of ``self``, ``BATCH_SIZE`` partners per query."""
        prior = prior or self._social_reputation_prior()
        self.flush_model(["social_reputation_dirty"])
        for batch in split_every(BATCH_SIZE, self.ids, self.browse):
            values = batch._compute_social_reputation_values(prior)
            ids = batch.ids
            self.env.execute_query(SQL("""
                UPDATE res_partner p
                   SET social_reputation_score = v.score, social_reputation_evidence = v.evidence,
                       social_reputation_trend = v.trend, social_reputation_dirty = FALSE,
                       social_reputation_date = (now() AT TIME ZONE 'UTC')
                  FROM unnest(%s::int[], %s::float8[], %s::int[], %s::float8[]) AS v(id, score, evidence, trend)
                 WHERE p.id = v.id
            """, ids, [values[i][0] if i in values else None for i in ids],
                [values[i][1] if i in values else 0 for i in ids],
                [values[i][2] if i in values else None for i in ids]))
        self.invalidate_recordset([
            "social_reputation_score", "social_reputation_evidence", "social_reputation_trend",
            "social_reputation_date", "social_reputation_dirty"])

    def action_recompute_social_reputation(self):
        """Recompute the social reputation of these partners now (public, callable over RPC)."""
        self.check_access("read")
        self.sudo()._recompute_social_reputation()  # sudo: every mention counts, whoever asks
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
            SELECT p.id FROM res_partner p
             WHERE (%(full)s OR p.social_reputation_date IS NULL OR p.social_reputation_date < %(ref)s)
               AND (p.social_reputation_evidence > 0
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
        due = self._social_reputation_due_ids(prior, full=full)
        todo = due[:batch_size * 10]
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        done = 0
        for batch in split_every(batch_size, todo, self.browse):
            batch._recompute_social_reputation(prior)
            done += len(batch)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(due) - done)
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=E8102 - keep finished batches (see ir_cron._run_job)
        return done

    def action_view_social_reputation_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm.social_mention_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"search_default_group_sentiment": 1}
        return action
