"""Satisfaction (CSAT) after an answer: who is invited, and the report's figures."""
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.social_crm.tests.common import save_settings
from odoo.addons.social_crm_reputation.lib import stats
from odoo.addons.social_crm_reputation.tests.common import ReputationCommon

ENABLED = "social_crm_reputation_survey.csat_enabled"
DELAY = "social_crm_reputation_survey.csat_delay_hours"
FATIGUE = "social_crm_reputation_survey.csat_fatigue_days"


class CsatCommon(ReputationCommon):
    """A company of its own (demo mentions stay out of the figures) and contacts who may or may not be
    written to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._source_of_own_company("CSAT")
        cls.survey = cls.env.ref("social_crm_reputation_survey.survey_survey_csat")
        cls.question = cls.survey.question_ids
        cls.ann.email = "ann.csat@example.com"
        cls.bob.email = "bob.csat@example.com"
        cls.carl.write({"email": "carl.csat@example.com", "social_opt_out": True})
        cls.dana, cls.eve, cls.finn = cls.Partner.create([
            {"name": "Dana CSAT", "email": "dana.csat@example.com"},
            {"name": "Eve CSAT"},  # no e-mail
            {"name": "Finn CSAT", "email": "finn.csat@example.com"},
        ])
        cls.env["mail.blacklist"].sudo()._add("dana.csat@example.com")
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param(ENABLED, "True")
        params.set_param(DELAY, "0")

    @classmethod
    def _received(cls, *partners, days_ago=0):
        return cls._mentions(*((partner, "Where is my order?", days_ago) for partner in partners))

    @staticmethod
    def _answer(mentions):
        for mention in mentions:
            mention._record_reply("It ships today.", "Answered")

    def _invitations(self, mentions):
        return self.env["survey.user_input"].search([("social_mention_id", "in", mentions.ids)])


@tagged("social_crm_reputation_survey", "post_install", "-at_install")
class TestCsatInvitation(CsatCommon):

    def test_answered_mention_of_consenting_contact_invited_once(self):
        mention = self._received(self.ann)
        self.assertFalse(mention.csat_pending)
        self._answer(mention)
        self.assertTrue(mention.csat_pending)
        self.assertEqual(mention.csat_state, "pending")
        self.assertEqual(self.Mention._cron_send_csat_surveys(), 1)
        invitation = self._invitations(mention)
        self.assertEqual(len(invitation), 1)
        self.assertEqual((invitation.partner_id, invitation.survey_id, invitation.state),
                         (self.ann, self.survey, "new"))
        self.assertFalse(mention.csat_pending)
        mail = self.env["mail.mail"].search([("model", "=", "survey.user_input"), ("res_id", "=", invitation.id)])
        self.assertEqual(len(mail), 1, "the survey's invitation e-mail, queued")
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("ann.csat@example.com", mail.email_to)
        self.assertIn(invitation.access_token, mail.body_html, "the link opens the contact's own answer")
        mention.invalidate_recordset(["csat_state"])
        self.assertEqual(mention.csat_state, "invited")
        self.assertEqual(self.Mention._cron_send_csat_surveys(), 0, "nothing left to send")

    def test_contacts_who_may_not_be_written_to_are_not_invited(self):
        # Carl opted out, Dana's e-mail is blacklisted, Eve has none; the last mention has no contact
        mentions = self._received(self.carl, self.dana, self.eve) | self._mentions((None, "Hello?", 0))
        self._answer(mentions)
        self.assertEqual(self.Mention._cron_send_csat_surveys(), 0)
        self.assertFalse(self._invitations(mentions))
        self.assertFalse(mentions.filtered("csat_pending"), "let go, never retried")

    def test_fatigue_window(self):
        first, second, third = self._received(self.ann, self.ann, self.bob)
        self._answer(first | second | third)
        self.assertEqual(self.Mention._cron_send_csat_surveys(), 2, "Ann once for her two mentions, and Bob")
        later = self._received(self.ann)
        self._answer(later)
        self.Mention._cron_send_csat_surveys()
        self.assertFalse(self._invitations(later), "invited less than 30 days ago")
        self.assertEqual(len(self._invitations(first | second)), 1)
        # outside the window (invited 8 days ago, a window of 7 days), invited again
        self.env["ir.config_parameter"].sudo().set_param(FATIGUE, "7")
        previous = self._invitations(first | second)
        previous.flush_recordset()
        self.env.cr.execute("UPDATE survey_user_input SET create_date = create_date - interval '8 days' WHERE id = %s",
                            [previous.id])
        previous.invalidate_recordset(["create_date"])
        again = self._received(self.ann)
        self._answer(again)
        self.Mention._cron_send_csat_surveys()
        self.assertEqual(len(self._invitations(again)), 1)

    def test_delay(self):
        self.env["ir.config_parameter"].sudo().set_param(DELAY, "2")
        mention = self._received(self.ann)
        self._answer(mention)
        self.assertEqual(self.Mention._cron_send_csat_surveys(), 0, "answered less than 2 hours ago")
        self.assertTrue(mention.csat_pending)
        mention.replied_at = fields.Datetime.now() - timedelta(hours=3)
        self.assertEqual(self.Mention._cron_send_csat_surveys(), 1)

    def test_setting_off_sends_nothing(self):
        save_settings(self.env, social_crm_csat_enabled=False)
        mention = self._received(self.ann)
        self._answer(mention)
        self.assertFalse(mention.csat_pending)
        self.assertEqual(self.Mention._cron_send_csat_surveys(), 0)
        self.assertFalse(self._invitations(mention))
        # waiting when it was turned off: let go
        save_settings(self.env, social_crm_csat_enabled=True)
        waiting = self._received(self.bob)
        self._answer(waiting)
        save_settings(self.env, social_crm_csat_enabled=False)
        self.Mention._cron_send_csat_surveys()
        self.assertFalse(self._invitations(waiting))
        self.assertFalse(waiting.csat_pending)

    def test_settings_screen(self):
        other = self.survey.copy({"title": "Our own satisfaction survey"})
        save_settings(self.env, social_crm_csat_survey_id=other, social_crm_csat_fatigue_days=7)
        self.assertEqual(self.Mention._csat_survey(), other)
        mention = self._received(self.ann)
        self._answer(mention)
        self.Mention._cron_send_csat_surveys()
        self.assertEqual(self._invitations(mention).survey_id, other)
        other.unlink()
        self.assertEqual(self.Mention._csat_survey(), self.survey, "back to the survey of the addon")

    def test_answering_many_mentions_costs_the_same_queries(self):
        def queries(batch):
            batch.flush_recordset()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            batch.write({"state": "answered", "replied_at": fields.Datetime.now()})
            batch.flush_recordset()
            return self.env.cr.sql_log_count - before

        params = self.env["ir.config_parameter"].sudo()
        extra = []
        for count in (3, 30):
            params.set_param(ENABLED, "False")
            without = queries(self._received(*[self.ann] * count))
            params.set_param(ENABLED, "True")
            batch = self._received(*[self.bob] * count)
            extra.append(queries(batch) - without)
            self.assertEqual(len(batch.filtered("csat_pending")), count)
        self.assertEqual(extra[0], extra[1], "marking the mentions to survey costs the same for 3 or 30")
        self.assertEqual(self.Mention._cron_send_csat_surveys(), 1, "one invitation per contact")

    def test_sending_costs_the_same_for_few_or_many_mentions_of_a_contact(self):
        """Consent, fatigue and earlier invitations are read once per batch: 30 answered mentions of one
        contact cost the cron what 3 do (one invitation each time)."""
        queries = []
        for partner, count in ((self.finn, 1), (self.ann, 3), (self.bob, 30)):  # Finn's warms the caches up
            self._answer(self._received(*[partner] * count))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertEqual(self.Mention._cron_send_csat_surveys(), 1)
            queries.append(self.env.cr.sql_log_count - before)
        self.assertEqual(queries[1], queries[2])

    def test_social_crm_user_sees_the_score_of_a_mention(self):
        user = new_test_user(self.env, login="csat_agent", groups="social_crm.social_crm_group_user")
        mention = self._received(self.ann)
        self._answer(mention)
        self.Mention._cron_send_csat_surveys()
        self.assertFalse(user.has_group("survey.group_survey_user"))
        self.assertEqual(mention.with_user(user).csat_state, "invited")
        self.assertFalse(self.env["social.mention.csat.report"].with_user(user).has_access("read"),
                         "the report is for managers")


@tagged("social_crm_reputation_survey", "post_install", "-at_install")
class TestCsatReport(CsatCommon):
    """Six invitations this week:

    | customer | invitations (score)  |
    | -------- | -------------------- |
    | Ann      | 1, 5                 |
    | Bob      | 2                    |
    | Finn     | 4, not answered      |
    | Dana     | 3                    |

    Answers 1..5: CSAT 2 of 5; four customers answered, among the six with mentions this week (Carl
    and Eve too; Gus spoke 30 days ago only).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gus = cls.Partner.create({"name": "Gus CSAT"})
        cls._received(cls.gus, days_ago=30)
        cls._received(cls.carl, cls.eve)
        specs = [(cls.ann, 1), (cls.ann, 5), (cls.bob, 2), (cls.finn, 4), (cls.finn, 0), (cls.dana, 3)]
        cls.mentions = cls._received(*(partner for partner, _score in specs))
        cls.invitations = cls.env["survey.user_input"].create([{
            "survey_id": cls.survey.id, "partner_id": partner.id, "social_mention_id": mention.id,
            "state": "done" if score else "new",
        } for (partner, score), mention in zip(specs, cls.mentions, strict=True)])
        cls.env["survey.user_input.line"].create([{
            "user_input_id": invitation.id, "question_id": cls.question.id, "answer_type": "scale",
            "value_scale": score, "skipped": False,
        } for invitation, (_partner, score) in zip(cls.invitations, specs, strict=True) if score])
        cls.Report = cls.env["social.mention.csat.report"]
        cls.domain = [("company_id", "=", cls.company.id)]

    def test_score_on_the_mention(self):
        self.assertEqual(self.invitations.mapped("social_csat_score"), [1, 5, 2, 4, 0, 3])
        self.assertEqual(self.mentions.mapped("csat_score"), [1, 5, 2, 4, 0, 3])
        self.assertEqual(self.mentions.mapped("csat_state"), ["answered"] * 4 + ["invited", "answered"])

    def test_csat_and_interval_on_known_data(self):
        [group] = self.Report.get_csat(self.domain, groupby=[])
        self.assertEqual((group["invitations"], group["answers"], group["satisfied"]), (6, 5, 2))
        self.assertAlmostEqual(group["response_rate"], 5 / 6)
        self.assertAlmostEqual(group["csat"], 0.4)
        # Wilson 2/5, z = 1.959964, z²/n = 0.768292: centre = (0.4 + z²/10) / 1.768292 = 0.443448,
        # half-width = z·√(0.4·0.6/5 + z²/100) / 1.768292 = 0.325827 -> 0.117621 .. 0.769276
        self.assertAlmostEqual(group["low"], 0.117621, places=5)
        self.assertAlmostEqual(group["high"], 0.769276, places=5)
        self.assertEqual((group["customers"], group["customer_base"]), (4, 6))
        self.assertAlmostEqual(group["customer_share"], 4 / 6)
        self.assertTrue(group["anecdotal"], "four customers are anecdotal")

    def test_group_measures_in_sql(self):
        [(invitations, answers, rate, csat, low, high, customers, base, share, anecdotal)] = self.Report._read_group(
            self.domain, [], ["invitation_count:sum", "answer_count:sum", "response_rate:avg", "csat:avg",
                              "csat_low:avg", "csat_high:avg", "customer_count:sum", "customer_base:sum",
                              "customer_share:avg", "anecdotal:bool_or"])
        self.assertEqual((invitations, answers, customers, base, anecdotal), (6, 5, 4, 6, True))
        self.assertAlmostEqual(rate, 5 / 6)
        self.assertAlmostEqual(csat, 0.4)
        expected_low, expected_high = stats.wilson_interval(2, 5)
        self.assertAlmostEqual(low, expected_low)
        self.assertAlmostEqual(high, expected_high)
        self.assertAlmostEqual(share, 4 / 6)

    def test_groups_by_source_and_week(self):
        groups = self.Report.get_csat(self.domain)
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["source_id"], self.source.id)
        self.assertEqual(groups[0]["customers"], 4)
        by_partner = {group["partner_id"]: group for group in self.Report.get_csat(self.domain, ["partner_id"])}
        self.assertEqual((by_partner[self.ann.id]["answers"], by_partner[self.ann.id]["csat"]), (2, 0.5))
        finn = by_partner[self.finn.id]
        self.assertEqual((finn["invitations"], finn["answers"], finn["csat"], finn["response_rate"]), (2, 1, 1.0, 0.5))

    def test_not_anecdotal(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("social_crm_reputation.anecdotal_min_customers", "4")
        params.set_param("social_crm_reputation.anecdotal_min_share", "0.5")
        [group] = self.Report.get_csat(self.domain, groupby=[])
        self.assertFalse(group["anecdotal"])
        [(anecdotal,)] = self.Report._read_group(self.domain, [], ["anecdotal:bool_or"])
        self.assertIs(anecdotal, False)
        params.set_param("social_crm_reputation.anecdotal_min_share", "0.7")
        self.assertTrue(self.Report.get_csat(self.domain, groupby=[])[0]["anecdotal"], "4 of 6 is below 70 %")

    def test_test_entries_are_left_out(self):
        self.invitations[0].test_entry = True
        [group] = self.Report.get_csat(self.domain, groupby=[])
        self.assertEqual((group["invitations"], group["answers"], group["satisfied"]), (5, 4, 2))
