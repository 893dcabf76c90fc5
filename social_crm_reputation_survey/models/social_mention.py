"""The survey comparison of the reputation report: the social figure of a set of mentions next to
the survey answers of the same customers."""
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.social_crm_reputation.lib import stats

from .res_config_settings import SURVEY_IDS, SURVEY_POSITIVE_THRESHOLD

# Without a chosen list, the surveys compared are the scored ones of the types survey's managers may
# read (other apps' types, e.g. recruitment or appraisal, stay private), certifications excepted.
DEFAULT_SURVEY_TYPES = ("survey", "live_session", "assessment", "custom")


class SocialMention(models.Model):
    _inherit = "social.mention"

    @api.model
    def _survey_settings(self):
        """``(threshold, survey_ids)``: the score (%) from which an answer counts as satisfied, and the
        surveys compared (empty: every scored survey but certifications)."""
        return SURVEY_POSITIVE_THRESHOLD.read(self.env), list(SURVEY_IDS.read(self.env))

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

        :return: ``{"customers", "mentions", "social_positive", "social_positive_share",
            "social_positive_share_low", "social_positive_share_high", "survey_satisfied",
            "survey_positive_share", "survey_positive_share_low", "survey_positive_share_high",
            "difference", "signed_customers", "agreements", "agreement_rate", "customer_base",
            "customer_share", "anecdotal", "threshold"}``, with ``customers`` = 0 when nobody can be compared.
        """
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
