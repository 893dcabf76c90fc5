"""Social reputation next to survey answers of the same customers."""
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.social_crm_reputation.lib import stats
from odoo.addons.social_crm_reputation.tests.common import ReputationCommon

POSITIVE = "Absolutely wonderful, the best phone I ever had. I LOVE it!!!"
NEGATIVE = "This is the worst, most horrible and disgusting service ever. I HATE it!!!"
NEUTRAL = "I received the package on Tuesday."
FRENCH = "Je n'aime pas du tout ce téléphone, il est vraiment nul."
REPORT = "social_crm_reputation.action_report_reputation"
# one question, five choices scored 0..4: the answer's score is 0, 25, 50, 75 or 100 %
CHOICES = ("Very unhappy", "Unhappy", "So-so", "Happy", "Very happy")


@tagged("social_crm_reputation_survey", "post_install", "-at_install")
class TestSurveyComparison(ReputationCommon):
    """Period: 20 to 5 days ago. Compared customers: Ann, Bob, Carl and Dana.

    | customer | scored mentions in the period  | sign | latest answer in the period    |
    | -------- | ------------------------------ | ---- | ------------------------------ |
    | Ann      | 3 positive (+ 1 negative before) | +  | 100 % satisfied (certification after it ignored) |
    | Bob      | 1 negative                     | −    | 25 % (a later no-scoring survey at 100 % ignored) |
    | Carl     | 1 positive, 1 neutral          | +    | 25 % (an earlier 100 % in the period, a later 100 % after it) |
    | Dana     | 1 neutral                      | none | 75 % satisfied (threshold 70) |
    | Eve      | 1 positive                     |      | none done (in progress, test entry) |
    | Finn     | none                           |      | 100 % |
    | Gus      | 1 negative                     |      | only 25 days ago, before the period |
    | Hal      | 1 unscored (French)            |      | 100 % |
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._source_of_own_company("Survey comparison")
        cls.dana, cls.eve, cls.finn, cls.gus, cls.hal = cls.Partner.create(
            [{"name": f"{name} Survey"} for name in ("Dana", "Eve", "Finn", "Gus", "Hal")])
        cls.survey, cls.choices = cls._survey("Satisfaction test survey", survey_type="custom",
                                              scoring_type="scoring_without_answers")
        cls.certification, cls.certification_choices = cls._survey(
            "Product knowledge test", survey_type="assessment", scoring_type="scoring_with_answers",
            certification=True)
        cls.unscored_survey, cls.unscored_choices = cls._survey("Open feedback", survey_type="survey",
                                                                scoring_type="no_scoring")
        cls.today = fields.Date.context_today(cls.Partner.with_context(tz="UTC"))
        cls.date_from, cls.date_to = cls.today - timedelta(days=20), cls.today - timedelta(days=5)
        cls._mentions(
            (cls.ann, POSITIVE, 6), (cls.ann, POSITIVE, 8), (cls.ann, POSITIVE, 12), (cls.ann, NEGATIVE, 30),
            (cls.bob, NEGATIVE, 10),
            (cls.carl, POSITIVE, 7), (cls.carl, NEUTRAL, 9),
            (cls.dana, NEUTRAL, 11),
            (cls.eve, POSITIVE, 10),
            (cls.gus, NEGATIVE, 10))
        cls.Mention.create({
            "source_id": cls.source.id, "network": "x", "external_id": "survey-cmp-fr", "author_handle": "hal",
            "partner_id": cls.hal.id, "body": FRENCH, "lang": "fr", "posted_at": cls.now - timedelta(days=10)})
        cls.answers = cls._answers(
            (cls.ann, cls.choices[4], 9), (cls.ann, cls.certification_choices[0], 7),
            (cls.bob, cls.choices[1], 12), (cls.bob, cls.unscored_choices[4], 6),
            (cls.carl, cls.choices[4], 15), (cls.carl, cls.choices[1], 8), (cls.carl, cls.choices[4], 2),
            (cls.dana, cls.choices[3], 10),
            (cls.eve, cls.choices[4], 10, {"state": "in_progress"}),
            (cls.eve, cls.choices[4], 10, {"test_entry": True}),
            (cls.finn, cls.choices[4], 10),
            (cls.gus, cls.choices[1], 25),
            (cls.hal, cls.choices[4], 10))
        cls.domain = [("company_id", "=", cls.company.id)]

    @classmethod
    def _survey(cls, title, **vals):
        survey = cls.env["survey.survey"].create({
            "title": title, "access_mode": "public", **vals,
            "question_and_page_ids": [Command.create({
                "title": "How happy are you with us?", "question_type": "simple_choice",
                "suggested_answer_ids": [
                    Command.create({"value": value, "answer_score": score, "is_correct": score == 4})
                    for score, value in enumerate(CHOICES)],
            })],
        })
        return survey, survey.question_ids.suggested_answer_ids.sorted("answer_score")

    @classmethod
    def _answers(cls, *specs):
        """Completed answers from ``(partner, choice, days_ago[, extra values])``, in two batches."""
        answers = cls.env["survey.user_input"].create([{
            "survey_id": choice.question_id.survey_id.id, "partner_id": partner.id, "state": "done",
            "end_datetime": cls.now - timedelta(days=days_ago), **(extra[0] if extra else {}),
        } for partner, choice, days_ago, *extra in specs])
        cls.env["survey.user_input.line"].create([{
            "user_input_id": answer.id, "question_id": choice.question_id.id, "answer_type": "suggestion",
            "suggested_answer_id": choice.id, "skipped": False,
        } for answer, (_partner, choice, *_rest) in zip(answers, specs, strict=True)])
        return answers

    def _compare(self, **kwargs):
        return self.Mention._survey_comparison(
            kwargs.get("domain", self.domain), kwargs.get("date_from", self.date_from),
            kwargs.get("date_to", self.date_to))

    def test_fixture(self):
        self.assertEqual(self.answers.mapped("scoring_percentage"),
                         [100.0, 0.0, 25.0, 100.0, 100.0, 25.0, 100.0, 75.0, 100.0, 100.0, 100.0, 25.0, 100.0])
        self.assertEqual(self.Mention.search([("partner_id", "=", self.hal.id)]).sentiment_label, "unscored")

    def test_figures_on_known_data(self):
        figures = self._compare()
        self.assertEqual(figures["customers"], 4, "Ann, Bob, Carl and Dana; the others lack one side")
        # social: Ann 3 positive, Bob 1 negative, Carl 1 positive + 1 neutral, Dana 1 neutral -> 4 of 7
        self.assertEqual((figures["mentions"], figures["social_positive"]), (7, 4))
        self.assertAlmostEqual(figures["social_positive_share"], 4 / 7)
        # Wilson 4/7, z = 1.959964, z²/n = 0.548780: centre = (4/7 + z²/14) / 1.548780 = 0.546118,
        # half-width = z·√(4/7·3/7/7 + z²/196) / 1.548780 = 0.295660 -> 0.250458 .. 0.841778
        self.assertAlmostEqual(figures["social_positive_share_low"], 0.250458, places=5)
        self.assertAlmostEqual(figures["social_positive_share_high"], 0.841778, places=5)
        self.assertEqual((figures["social_positive_share_low"], figures["social_positive_share_high"]),
                         stats.wilson_interval(4, 7))
        # survey: latest answers Ann 100, Bob 25, Carl 25, Dana 75 -> 2 of 4 satisfied
        self.assertEqual(figures["survey_satisfied"], 2)
        self.assertAlmostEqual(figures["survey_positive_share"], 0.5)
        # Wilson 2/4: centre 0.5, half-width = z·√(1/16 + z²/64) / (1 + z²/4) = 0.349961 -> 0.150039 .. 0.849961
        self.assertAlmostEqual(figures["survey_positive_share_low"], 0.150039, places=5)
        self.assertAlmostEqual(figures["survey_positive_share_high"], 0.849961, places=5)
        self.assertAlmostEqual(figures["difference"], 4 / 7 - 0.5)
        # agreement among Ann (+, satisfied), Bob (−, unsatisfied), Carl (+, unsatisfied); Dana leans no way
        self.assertEqual((figures["signed_customers"], figures["agreements"]), (3, 2))
        self.assertAlmostEqual(figures["agreement_rate"], 2 / 3)
        self.assertEqual(figures["threshold"], 70.0)
        self.assertTrue(figures["anecdotal"], "four customers are anecdotal")

    def test_not_anecdotal(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("social_crm_reputation.anecdotal_min_customers", "4")
        params.set_param("social_crm_reputation.anecdotal_min_share", "0")
        self.assertFalse(self._compare()["anecdotal"])
        params.set_param("social_crm_reputation.anecdotal_min_customers", "5")
        self.assertTrue(self._compare()["anecdotal"])

    def test_threshold(self):
        self.env["ir.config_parameter"].sudo().set_param("social_crm_reputation.survey_positive_threshold", "80")
        figures = self._compare()
        self.assertEqual((figures["customers"], figures["survey_satisfied"]), (4, 1), "Dana's 75 % is below 80 now")
        self.assertEqual(figures["threshold"], 80.0)

    def test_settings_screen(self):
        """Threshold and compared surveys set on the Settings screen are what the comparison reads."""
        with Form(self.env["res.config.settings"]) as settings:
            self.assertEqual(settings.social_crm_survey_positive_threshold, 70.0)
            self.assertFalse(settings.social_crm_survey_ids)
            settings.social_crm_survey_positive_threshold = 80
        settings.record.execute()
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("social_crm_reputation.survey_positive_threshold"), "80.0")
        figures = self._compare()
        self.assertEqual((figures["customers"], figures["survey_satisfied"], figures["threshold"]), (4, 1, 80.0))

        with Form(self.env["res.config.settings"]) as settings:
            settings.social_crm_survey_ids.add(self.certification)
        settings.record.execute()
        self.assertEqual(params.get_param("social_crm_reputation.survey_ids"), str(self.certification.id))
        figures = self._compare()
        self.assertEqual((figures["customers"], figures["survey_satisfied"], figures["mentions"]), (1, 0, 3),
                         "only Ann took the chosen certification, with 0 %")
        self.assertEqual(self.env["res.config.settings"].create({}).social_crm_survey_ids, self.certification,
                         "the screen shows the surveys stored")

        with Form(self.env["res.config.settings"]) as settings:
            settings.social_crm_survey_ids.clear()
            settings.social_crm_survey_positive_threshold = 0
        settings.record.execute()
        self.assertFalse(params.get_param("social_crm_reputation.survey_ids"), "empty again: every scored survey")
        self.assertEqual(params.get_param("social_crm_reputation.survey_positive_threshold"), "0",
                         "0 % is kept, not taken for the default")
        figures = self._compare()
        self.assertEqual((figures["customers"], figures["survey_satisfied"], figures["threshold"]), (4, 4, 0.0))

    def test_settings_screen_refuses_bad_threshold(self):
        with Form(self.env["res.config.settings"]) as settings:
            settings.social_crm_survey_positive_threshold = 120
        with self.assertRaises(ValidationError):
            settings.record.execute()
        self.assertEqual(self.Mention._survey_settings(), (70.0, []))

    def test_chosen_surveys(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("social_crm_reputation.survey_ids", str(self.certification.id))
        figures = self._compare()
        self.assertEqual((figures["customers"], figures["survey_satisfied"], figures["mentions"]), (1, 0, 3),
                         "only Ann took the chosen certification, with 0 %")
        params.set_param("social_crm_reputation.survey_ids", f"{self.survey.id}, {self.unscored_survey.id}")
        figures = self._compare()
        self.assertEqual((figures["customers"], figures["survey_satisfied"]), (4, 2),
                         "a survey without scoring is never compared, even when chosen")

    def test_period(self):
        # a period that also holds Carl's answer of 2 days ago (100 %) and Ann's negative mention of 30 days ago
        figures = self._compare(date_from=self.today - timedelta(days=30), date_to=self.today)
        self.assertEqual(figures["customers"], 5, "Gus's answer of 25 days ago is in it now")
        self.assertEqual((figures["mentions"], figures["social_positive"]), (9, 4))
        self.assertEqual(figures["survey_satisfied"], 3, "Ann, Carl (latest: 100 %) and Dana")
        self.assertEqual((figures["signed_customers"], figures["agreements"]), (4, 4))
        figures = self._compare(date_from=self.today - timedelta(days=9), date_to=self.date_to)
        self.assertEqual(figures["customers"], 2, "Ann and Carl have both sides from 9 to 5 days ago")
        self.assertEqual(figures["survey_satisfied"], 1, "Ann; of Carl's answers only the 25 % of 8 days ago is in")

    def test_domain(self):
        figures = self._compare(domain=self.domain + [("partner_id", "in", (self.ann | self.bob).ids)])
        self.assertEqual((figures["customers"], figures["mentions"], figures["survey_satisfied"]), (2, 4, 1))

    def test_no_survey_answers(self):
        figures = self._compare(date_from=self.today - timedelta(days=4), date_to=self.today)
        self.assertEqual((figures["customers"], figures["mentions"], figures["survey_satisfied"]), (0, 0, 0),
                         "Carl answered 2 days ago, but nobody spoke in these days")
        nobody_answered = self._compare(domain=self.domain + [("partner_id", "=", self.eve.id)])
        self.assertEqual(nobody_answered["customers"], 0)
        for empty in (figures, nobody_answered):
            self.assertEqual((empty["social_positive_share"], empty["survey_positive_share"],
                              empty["difference"], empty["agreement_rate"]), (0.0, 0.0, 0.0, 0.0))
            self.assertEqual((figures["survey_positive_share_low"], figures["survey_positive_share_high"]), (0.0, 1.0))
            self.assertTrue(figures["anecdotal"])

    def test_bad_parameters(self):
        params = self.env["ir.config_parameter"].sudo()
        for key, value in (("social_crm_reputation.survey_positive_threshold", "high"),
                           ("social_crm_reputation.survey_positive_threshold", "120"),
                           ("social_crm_reputation.survey_ids", "1;2")):
            with self.subTest(key=key, value=value), self.assertRaises(UserError) as caught:
                params.set_param(key, value)
                self._compare()
            self.assertIn(key, str(caught.exception))
            params.set_param(key, False)

    def test_report_shows_comparison(self):
        wizard = self.env["social.reputation.report.wizard"].create(
            {"date_from": self.date_from, "date_to": self.date_to, "company_id": self.company.id})
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, wizard.ids)[0].decode()
        self.assertIn("Social vs survey (same customers)", html)
        self.assertIn("57.1 %", html, "social share 4/7")
        self.assertIn("25.0 % – 84.2 %", html, "its Wilson interval")
        self.assertIn("15.0 % – 85.0 %", html, "the survey share's Wilson interval")
        self.assertIn("+7.1 points", html)
        self.assertIn("66.7 %", html, "agreement 2/3")
        self.assertIn("4 of 7 scored mentions", html)
        self.assertIn("2 of 4 customers", html)
        self.assertNotIn("Nothing to compare", html)
        # the block comes right after the headline figures
        self.assertLess(html.index("o_headline"), html.index("o_survey_comparison"))
        self.assertLess(html.index("o_survey_comparison"), html.index("Trend by week"))
        empty = self.env["social.reputation.report.wizard"].create(
            {"date_from": self.today - timedelta(days=4), "date_to": self.today, "company_id": self.company.id})
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, empty.ids)[0].decode()
        self.assertIn("Social vs survey (same customers)", html)
        self.assertIn("Nothing to compare", html)
        self.assertNotIn("o_survey_table", html)

    def test_partner_latest_survey(self):
        partners = self.ann | self.bob | self.carl | self.eve | self.finn
        self.assertEqual(partners.mapped("social_survey_score"), [100.0, 25.0, 100.0, 0.0, 100.0],
                         "latest of all time; Ann's certification and Bob's unscored survey are not compared")
        self.assertEqual(partners.mapped("social_survey_satisfied"), [True, False, True, False, True])
        self.assertEqual(partners.mapped("social_survey_name"), ["Satisfaction test survey"] * 3 + [False] * 1
                         + ["Satisfaction test survey"])
        self.assertEqual(self.carl.social_survey_date, self.answers[6].end_datetime)
        self.assertFalse(self.eve.social_survey_date, "an answer in progress or a test entry does not count")
        action = self.carl.action_view_social_survey_answers()
        self.assertEqual(action["res_model"], "survey.user_input")
        self.assertEqual(self.env["survey.user_input"].search(action["domain"]), self.answers[4:7])

    def test_partner_form_shows_survey(self):
        arch = self.env["res.partner"].get_view(view_type="form")["arch"]
        self.assertIn('name="social_survey_score"', arch)
        self.assertIn('name="action_view_social_survey_answers"', arch)
