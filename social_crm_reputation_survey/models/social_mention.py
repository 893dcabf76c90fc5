"""The survey comparison of the reputation report: the social figure of a set of mentions next to
the survey answers of the same customers; and the satisfaction survey (CSAT) sent once a mention
is answered."""
import logging
import threading
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index

from odoo.addons.social_crm.tools.cron import trigger_cron
from odoo.addons.social_crm_reputation.lib import stats

from .res_config_settings import (
    CSAT_DEFAULT_SURVEY,
    CSAT_DELAY_HOURS,
    CSAT_ENABLED,
    CSAT_FATIGUE_DAYS,
    CSAT_SURVEY_ID,
    SURVEY_IDS,
    SURVEY_POSITIVE_THRESHOLD,
)

_logger = logging.getLogger(__name__)

CSAT_BATCH = 200
"""Answered mentions whose satisfaction survey is prepared per transaction of the scheduled action."""
CSAT_CRON = "social_crm_reputation_survey.ir_cron_send_csat_surveys"
CSAT_STATES = [("pending", "To Send"), ("invited", "Invited"), ("answered", "Answered")]

# Without a chosen list, the surveys compared are the scored ones of the types survey's managers may
# read (other apps' types, e.g. recruitment or appraisal, stay private), certifications excepted.
DEFAULT_SURVEY_TYPES = ("survey", "live_session", "assessment", "custom")


class SocialMention(models.Model):
    _inherit = "social.mention"

    csat_pending = fields.Boolean(
        string="Satisfaction Survey to Send", readonly=True, copy=False,
        help="Answered while satisfaction surveys are asked for: the scheduled action invites the contact "
             "once the delay of the settings has passed, if they may be written to.")
    csat_user_input_ids = fields.One2many(
        comodel_name="survey.user_input", inverse_name="social_mention_id", string="Satisfaction Surveys",
        readonly=True, groups="survey.group_survey_user")
    csat_state = fields.Selection(selection=CSAT_STATES, string="Satisfaction Survey", compute="_compute_csat",
                                  help="The satisfaction survey sent after the answer to this mention.")
    csat_score = fields.Integer(string="Satisfaction (1-5)", compute="_compute_csat",
                                help="What the contact answered to the satisfaction survey, from 1 to 5.")

    def init(self):
        result = super().init()
        # the queue of satisfaction surveys to send: a few rows among millions
        create_index(self.env.cr, "social_mention_csat_pending_idx", self._table, ["replied_at"],
                     where="csat_pending")
        return result

    def _compute_csat(self):
        # sudo: only the state and score of the survey sent about a mention the user reads are shown
        groups = self.env["survey.user_input"].sudo()._read_group(
            [("social_mention_id", "in", self.ids)], ["social_mention_id"], ["social_csat_score:max"])
        scores = {mention.id: score for mention, score in groups}
        for mention in self:
            score = scores.get(mention.id)
            mention.csat_score = score or 0
            mention.csat_state = ("answered" if score else "invited") if score is not None else (
                "pending" if mention.csat_pending else False)

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "answered" and CSAT_ENABLED.read(self.env):
            received = self.filtered(lambda mention: mention.direction != "outbound" and mention.partner_id)
            if received:
                # sudo: the queue flag is the system's bookkeeping, whoever answered
                received.sudo().write({"csat_pending": True})
                trigger_cron(self.env, CSAT_CRON, fields.Datetime.now() + timedelta(
                    hours=CSAT_DELAY_HOURS.read(self.env)))
        return result

    # ------------------------------------------------------------------ satisfaction (CSAT)

    @api.model
    def _csat_survey(self):
        """The satisfaction survey of the settings (else the one installed with the addon), or an
        empty recordset when it was deleted."""
        survey = self.env["survey.survey"].sudo().browse(CSAT_SURVEY_ID.read(self.env)).exists()
        return survey or self.env.ref(CSAT_DEFAULT_SURVEY, raise_if_not_found=False) or self.env["survey.survey"]

    @api.model
    def _cron_send_csat_surveys(self, batch_size=CSAT_BATCH):
        """Invite the contacts of the answered mentions whose delay passed to the satisfaction survey,
        batch after batch, each committed; answer how many were invited.

        With the setting off (or no survey), the mentions waiting are let go: turning it on later
        never invites customers about answers given before."""
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        survey = self._csat_survey() if CSAT_ENABLED.read(self.env) else self.env["survey.survey"]
        now = fields.Datetime.now()
        cutoff = now - timedelta(hours=CSAT_DELAY_HOURS.read(self.env))
        domain = [("csat_pending", "=", True)] + ([("replied_at", "<=", cutoff)] if survey else [])
        invited = 0
        while True:
            mentions = self.search(domain, order="replied_at, id", limit=batch_size)
            if not mentions:
                break
            invited += len(mentions._csat_invite(survey)) if survey else 0
            mentions.write({"csat_pending": False})
            if auto_commit:
                # keep each batch's invitations, whatever happens to the next one (see ir_cron._run_job)
                self.env.cr.commit()  # pylint: disable=invalid-commit
        later = self.search([("csat_pending", "=", True)], order="replied_at", limit=1) if survey else self
        if later.replied_at:
            trigger_cron(self.env, CSAT_CRON, later.replied_at + (now - cutoff))
        return invited

    def _csat_invite(self, survey):
        """Invite the contacts of the answered mentions of ``self`` to ``survey``, through the survey's
        own invitation: an answer (``survey.user_input``) for the contact, linked to the mention, and
        the survey's invitation e-mail, queued. Answer the invitations created.

        A contact is invited only if they may be written to privately by e-mail (the consent checks of
        :meth:`res.partner._social_private_refusal`), at most once per mention, and not when they were
        invited to a satisfaction survey within the days of the settings (nor twice in ``self``).
        A few queries for the whole batch, and one answer created per contact invited.
        """
        mentions = self.filtered(lambda mention: mention.partner_id and mention.direction != "outbound")
        Answer = self.env["survey.user_input"].sudo()
        if not mentions or not survey:
            return Answer
        partners = mentions.partner_id
        partners.fetch(["email_normalized", "phone_sanitized", "social_opt_out", "name"])
        blacklisted_emails, blacklisted_phones = partners._social_private_blacklists()
        since = fields.Datetime.now() - timedelta(days=CSAT_FATIGUE_DAYS.read(self.env))
        recent = Answer.search_fetch(
            ["|", ("social_mention_id", "in", mentions.ids), "&", ("social_mention_id", "!=", False),
             "&", ("partner_id", "in", partners.ids), ("create_date", ">=", since)],
            ["social_mention_id", "partner_id"])
        invited_mentions = set(recent.social_mention_id.ids)
        invited_partners = set(recent.filtered(lambda answer: answer.create_date >= since).partner_id.ids)
        answers = Answer
        for mention in mentions:
            partner = mention.partner_id
            if mention.id in invited_mentions or partner.id in invited_partners:
                continue
            reason, _email = partner._social_private_refusal("email", blacklisted_emails, blacklisted_phones)
            if reason:
                continue
            invited_partners.add(partner.id)
            try:
                with self.env.cr.savepoint():
                    answers |= survey.sudo()._create_answer(
                        partner=partner, check_attempts=False, social_mention_id=mention.id)
            except UserError as error:  # a survey that cannot be answered (closed, login required...)
                _logger.warning("Satisfaction survey %s not sent about mention %s: %s", survey.id, mention.id, error)
        if answers:
            self._csat_send_invitations(answers)
        return answers

    @api.model
    def _load_demo_csat(self, source_id):
        """Demo data: over the weeks of the source's mentions, one mention a week of each contact with
        an e-mail address answered 3 hours after it was posted, and its satisfaction survey sent 2
        hours later, most of them answered (scores of a fixed pattern). No e-mail is queued. Loaded
        once: an update of the addon (which loads demo data again) adds nothing."""
        if self.env["survey.user_input"].search_count([("social_mention_id.source_id", "=", source_id)], limit=1):
            return
        survey = self.env.ref(CSAT_DEFAULT_SURVEY)
        question = survey.question_ids.filtered(lambda question: question.question_type == "scale")[:1]
        picked = {}
        for mention in self.search([("source_id", "=", source_id), ("direction", "=", "inbound"),
                                    ("partner_id.email", "!=", False), ("state", "in", ("new", "to_answer")),
                                    ("posted_at", "<", fields.Datetime.now() - timedelta(hours=6))],
                                   order="posted_at, id"):
            picked.setdefault((mention.partner_id.id, tuple(mention.posted_at.isocalendar()[:2])), mention)
        mentions = self.browse([mention.id for mention in picked.values()])
        user = self.env.ref("base.user_admin")
        for mention in mentions:
            mention.write({"state": "answered", "reply_body": self.env._("Thank you, we are on it."),
                           "replied_at": mention.posted_at + timedelta(hours=3), "replied_by_id": user.id})
        scores = (5, 4, 5, 3, 0, 4, 2, 5, 4, 1, 5, 0)  # 0: not answered
        score_of = {mention: scores[index % len(scores)] for index, mention in enumerate(mentions)}
        answers = self.env["survey.user_input"].create([{
            "survey_id": survey.id, "partner_id": mention.partner_id.id, "social_mention_id": mention.id,
            "state": "done" if score_of[mention] else "new"} for mention in mentions])
        self.env["survey.user_input.line"].create([{
            "user_input_id": answer.id, "question_id": question.id, "answer_type": "scale",
            "value_scale": score_of[answer.social_mention_id], "skipped": False,
        } for answer in answers if score_of[answer.social_mention_id]])
        answers.flush_recordset()
        # sent 2 hours after the answer, as the scheduled action does (the ORM dates records now)
        self.env.cr.execute(SQL("""
            UPDATE survey_user_input a SET create_date = m.replied_at + interval '2 hours'
              FROM social_mention m WHERE m.id = a.social_mention_id AND a.id = ANY(%s)""", answers.ids))
        answers.invalidate_recordset(["create_date"])

    @api.model
    def _csat_send_invitations(self, answers):
        """Queue the survey's invitation e-mail of each of ``answers``, rendered in one batch per
        company (the sender), in each contact's language; the mail scheduler sends them."""
        template = self.env.ref("survey.mail_template_user_input_invite").sudo()
        for company, company_answers in answers.grouped(lambda answer: answer.social_mention_id.company_id).items():
            email_values = {"email_from": company.email_formatted} if company.email else None
            template.send_mail_batch(company_answers.ids, force_send=False, email_values=email_values,
                                     email_layout_xmlid="mail.mail_notification_light")
        trigger_cron(self.env, "mail.ir_cron_mail_scheduler_action")

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
