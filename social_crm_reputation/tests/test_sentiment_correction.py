from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.social_crm_reputation.lib import sentiment

from .common import VERY_NEGATIVE, VERY_POSITIVE, ReputationCommon

REPORT = "social_crm_reputation.action_report_reputation"
FRENCH_NEGATIVE = "Je n'aime pas du tout ce téléphone, il est vraiment nul."


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestSentimentCorrection(ReputationCommon):
    """The team's one-click sentiment: kept as ground truth, the latest click winning, and read by
    every figure that used the engine's label; undone, the figures come back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._source_of_own_company("Sentiment correction")
        cls.today = fields.Date.context_today(cls.env["res.partner"].with_context(tz="UTC"))
        cls.praise, cls.praise_too, cls.complaint = cls._mentions(
            (cls.ann, VERY_POSITIVE, 1), (cls.ann, VERY_POSITIVE, 1), (cls.bob, VERY_NEGATIVE, 1))
        (cls.ann | cls.bob).action_recompute_social_reputation()
        cls.agent = new_test_user(cls.env, login="sentiment_agent", groups="social_crm.social_crm_group_user",
                                  company_id=cls.company.id, company_ids=[cls.company.id])
        cls.manager = new_test_user(cls.env, login="sentiment_manager", groups="social_crm.social_crm_group_manager",
                                    company_id=cls.company.id, company_ids=[cls.company.id])
        cls.wizard = cls.env["social.reputation.report.wizard"].create(
            {"date_from": cls.today - timedelta(days=6), "date_to": cls.today, "company_id": cls.company.id})

    def _figures(self):
        """Every figure that reads the sentiment of the fixture's mentions."""
        [day] = self.env["social.reputation.daily"].search(
            [("source_id", "=", self.source.id), ("date", "=", self.praise.posted_at.date())])
        report = self.env["report.social_crm_reputation.report_reputation"]._get_report_values(
            self.wizard.ids)["figures"][self.wizard.id]
        headline = report["headline"]
        return {
            "day": (day.positive_count, day.neutral_count, day.negative_count, day.scored_count),
            "day_net": day.net_sentiment,
            "day_sum": day.sentiment_sum,
            "ann": self.ann.with_company(self.company).social_reputation_score,
            "report": (headline["positive"], headline["neutral"], headline["negative"]),
            "report_net": headline["net_sentiment"],
            "top_negative": report["top_negative"],
        }

    def test_a_correction_changes_every_figure_and_undo_restores_them(self):
        engine_score = self.praise.sentiment_score
        self.assertGreater(engine_score, 0.5)
        before = self._figures()
        self.assertEqual(before["day"], (2, 0, 1, 3))
        self.assertAlmostEqual(before["day_net"], 1 / 3)
        self.assertEqual(before["report"], (2, 0, 1))

        self.praise.with_user(self.agent).action_sentiment_negative()
        self.assertEqual(self.praise.sentiment_label, "negative")
        self.assertAlmostEqual(self.praise.sentiment_score, (sentiment.NEGATIVE_THRESHOLD - 1) / 2)
        after = self._figures()
        self.assertEqual(after["day"], (1, 0, 2, 3), "the daily series counts the team's label")
        self.assertAlmostEqual(after["day_net"], -1 / 3)
        self.assertAlmostEqual(after["day_sum"], before["day_sum"] - engine_score - 0.525, places=3)
        self.assertEqual(after["report"], (1, 0, 2), "the report counts the team's label")
        self.assertAlmostEqual(after["report_net"], -1 / 3)
        self.assertIn(self.praise, after["top_negative"])
        self.assertLess(after["ann"], before["ann"], "the customer's reputation is computed again at once")
        self.ann.action_recompute_social_reputation()
        self.assertAlmostEqual(self.ann.with_company(self.company).social_reputation_score, after["ann"],
                               msg="as a full computation gives it")

        self.praise.with_user(self.agent).action_undo_sentiment_correction()
        self.assertEqual(self.praise.sentiment_label, "positive")
        self.assertEqual(self.praise.sentiment_score, engine_score)
        restored = self._figures()
        self.assertEqual(restored["day"], before["day"])
        self.assertAlmostEqual(restored["day_net"], before["day_net"])
        self.assertAlmostEqual(restored["day_sum"], before["day_sum"], places=6)
        self.assertEqual(restored["report"], before["report"])
        self.assertAlmostEqual(restored["ann"], before["ann"])
        self.assertNotIn(self.praise, restored["top_negative"])

    def test_before_the_prior_of_the_day_the_scheduled_action_recomputes(self):
        # no prior of today yet: a click does not wait for its estimate (a scan of every mention)
        self.env["ir.config_parameter"].set_param("social_crm_reputation.prior_date", False)
        cron = self.env.ref("social_crm_reputation.ir_cron_recompute_reputation")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        before = self.ann.with_company(self.company).social_reputation_score
        self.praise.action_sentiment_negative()
        self.assertTrue(self.ann.social_reputation_dirty)
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1)
        self.assertEqual(self.ann.with_company(self.company).social_reputation_score, before)
        self.env["res.partner"]._cron_recompute_reputation()
        self.assertLess(self.ann.with_company(self.company).social_reputation_score, before)

    def test_each_click_is_kept_and_the_latest_wins(self):
        Correction = self.env["social.sentiment.correction"]
        engine_score = self.praise.sentiment_score
        self.praise.with_user(self.agent).action_sentiment_negative()
        first = self.praise.sentiment_correction_id
        self.assertEqual(
            (first.label, first.engine_label, first.agree, first.user_id, first.lang, first.network,
             first.company_id, first.source_id, first.is_current),
            ("negative", "positive", False, self.agent, "en", "x", self.company, self.source, True))
        self.assertAlmostEqual(first.engine_score, engine_score)
        self.assertLessEqual(abs(first.date - fields.Datetime.now()), timedelta(minutes=5))
        self.assertEqual((self.praise.sentiment_engine_label, self.praise.sentiment_engine_score),
                         ("positive", engine_score), "the engine's verdict is kept beside the team's")
        self.assertEqual(self.praise.sentiment_corrected_by_id, self.agent)

        self.praise.with_user(self.agent).action_sentiment_negative()
        self.assertEqual(self.praise.sentiment_correction_id, first, "a second click on the same label adds nothing")

        self.praise.action_sentiment_neutral()
        second = self.praise.sentiment_correction_id
        self.assertNotEqual(second, first)
        self.assertEqual((second.label, second.engine_label, second.user_id), ("neutral", "positive", self.env.user),
                         "what the engine said, not what the team said before")
        self.assertEqual((self.praise.sentiment_label, self.praise.sentiment_score), ("neutral", 0.0))
        self.assertEqual(Correction.search([("mention_id", "=", self.praise.id)]), first | second)
        self.assertEqual((first.is_current, second.is_current), (False, True))

        self.praise.action_undo_sentiment_correction()
        self.assertEqual(self.praise.sentiment_correction_id, first, "the previous click wins again")
        self.assertEqual(self.praise.sentiment_label, "negative")
        self.assertTrue(first.is_current)
        self.assertFalse(second.exists())

        self.praise.action_undo_sentiment_correction()
        self.assertFalse(self.praise.sentiment_correction_id)
        self.assertEqual((self.praise.sentiment_label, self.praise.sentiment_score), ("positive", engine_score))
        self.assertEqual((self.praise.sentiment_engine_label, self.praise.sentiment_engine_score), (False, 0.0),
                         "the engine's columns stay empty for a mention the team did not correct")
        notes = self.praise.message_ids.filtered(lambda message: "Sentiment" in (message.body or ""))
        self.assertEqual(len(notes), 4, "each change is logged on the mention")

    def test_agreement_keeps_the_score_of_the_engine(self):
        self.complaint.action_sentiment_negative()
        correction = self.complaint.sentiment_correction_id
        self.assertTrue(correction.agree)
        self.assertEqual(self.complaint.sentiment_label, "negative")
        self.assertAlmostEqual(self.complaint.sentiment_score, correction.engine_score,
                               msg="the team confirmed the engine: its intensity stays")

    def test_a_language_the_engine_does_not_read_gets_the_team_label(self):
        french = self.Mention.create({
            "source_id": self.source.id, "network": "x", "external_id": "correction-fr", "author_handle": "pierre",
            "partner_id": self.carl.id, "body": FRENCH_NEGATIVE, "lang": "fr",
            "posted_at": self.praise.posted_at})
        self.assertEqual(french.sentiment_label, "unscored")
        before = self._figures()
        french.action_sentiment_negative()
        self.assertEqual((french.sentiment_label, french.sentiment_engine_label), ("negative", "unscored"))
        self.assertAlmostEqual(french.sentiment_score, -0.525)
        self.assertEqual(self._figures()["day"], (2, 0, 2, 4), "now scored, by the team")
        self.assertTrue(self.carl.with_company(self.company).social_reputation_evidence)
        [group] = self.env["social.sentiment.agreement"].get_agreement(
            [("company_id", "=", self.company.id), ("lang", "=", "fr")])
        self.assertEqual((group["corrections"], group["scored"], group["accuracy"], group["measured"]),
                         (1, 0, None, False), "no accuracy of an engine that does not judge the language")
        self.assertEqual(self.env["social.sentiment.agreement"]._read_group(
            [("company_id", "=", self.company.id), ("lang", "=", "fr")], [], ["accuracy_low:avg", "accuracy_high:avg"]),
            [(0.0, 1.0)], "nothing known: the interval is the whole range")
        french.action_undo_sentiment_correction()
        self.assertEqual(french.sentiment_label, "unscored")
        self.assertEqual(self._figures()["day"], before["day"])

    def test_rescoring_keeps_the_team_label(self):
        self.praise.action_sentiment_negative()
        engine_score = self.praise.sentiment_engine_score
        self.env["ir.config_parameter"].set_param("social_crm_reputation.positive_threshold",
                                                  str(min(engine_score + 0.01, 1.0)))
        (self.praise | self.praise_too).action_rescore_sentiment()
        self.assertEqual(self.praise_too.sentiment_label, "neutral", "the engine's label follows the thresholds")
        self.assertEqual((self.praise.sentiment_label, self.praise.sentiment_engine_label), ("negative", "neutral"),
                         "the team's label stays; the engine's new one goes beside it")
        self.assertAlmostEqual(self.praise.sentiment_engine_score, engine_score, places=3)
        self.assertEqual(self.praise.sentiment_correction_id.engine_label, "positive",
                         "the correction keeps what the engine said when the team judged")

    def test_a_loud_mention_made_negative_raises_its_alert(self):
        loud = self._mentions((self.carl, VERY_POSITIVE, 0, 50000))
        Alert = self.env["social.reputation.alert"]
        self.assertFalse(Alert.search([("mention_id", "=", loud.id)]))
        loud.action_sentiment_negative()
        self.assertEqual(Alert.search([("mention_id", "=", loud.id)]).kind, "high_reach_negative")

    def test_our_own_replies_are_not_judged(self):
        reply = self._create_mentions(self.source, [{"body": "Thanks, we are on it!", "direction": "outbound",
                                                     "posted_at": self.now}])
        with self.assertRaises(UserError):
            reply.action_sentiment_positive()
        self.assertFalse(reply.sentiment_correction_id)

    def test_agents_correct_managers_read_the_agreement(self):
        Correction = self.env["social.sentiment.correction"]
        self.praise.with_user(self.agent).action_sentiment_neutral()
        self.assertEqual(self.praise.sentiment_correction_id.with_user(self.agent).label, "neutral",
                         "agents read who set a sentiment")
        with self.assertRaises(AccessError):
            Correction.with_user(self.agent).create({
                "mention_id": self.complaint.id, "company_id": self.company.id, "engine_label": "negative",
                "label": "positive", "user_id": self.agent.id, "date": fields.Datetime.now()})
        with self.assertRaises(AccessError):
            self.praise.sentiment_correction_id.with_user(self.manager).write({"label": "positive"})
        with self.assertRaises(AccessError):
            self.env["social.sentiment.agreement"].with_user(self.agent).search([])
        rows = self.env["social.sentiment.agreement"].with_user(self.manager).search(
            [("company_id", "=", self.company.id)])
        self.assertEqual(rows.mention_id, self.praise)
        portal = new_test_user(self.env, login="sentiment_portal", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.praise.with_user(portal).action_sentiment_positive()


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestSentimentAgreement(ReputationCommon):
    """The engine measured against the team: accuracy with its Wilson interval, confusion matrix,
    and the report's warning when the figures rest on an engine with low agreement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._source_of_own_company("Sentiment agreement")
        cls.today = fields.Date.context_today(cls.env["res.partner"].with_context(tz="UTC"))
        cls.judged = cls._mentions(*[(cls.ann, VERY_POSITIVE, 2)] * 20)
        cls.unjudged = cls._mentions(*[(cls.bob, VERY_NEGATIVE, 3)] * 10)
        cls.wizard = cls.env["social.reputation.report.wizard"].create(
            {"date_from": cls.today - timedelta(days=6), "date_to": cls.today, "company_id": cls.company.id})
        cls.domain = [("company_id", "=", cls.company.id)]

    def _report(self):
        figures = self.env["report.social_crm_reputation.report_reputation"]._get_report_values(
            self.wizard.ids)["figures"][self.wizard.id]
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.wizard.ids)[0].decode()
        return figures["agreement"], html

    def test_accuracy_and_its_wilson_interval_by_hand(self):
        Agreement = self.env["social.sentiment.agreement"]
        self.judged[:13].action_sentiment_positive()  # the engine said positive: 13 agreements
        self.judged[13:].action_sentiment_negative()  # and 7 disagreements
        # 13 of 20: p = 0.65, z = 1.959964, z² = 3.841459, z²/n = 0.1920729, denominator 1.1920729
        # centre = (0.65 + 0.0960365) / 1.1920729 = 0.6258312
        # half-width = 1.959964 * sqrt(0.65 * 0.35 / 20 + 3.841459 / 1600) / 1.1920729
        #            = 1.959964 * sqrt(0.011375 + 0.0024009) / 1.1920729 = 1.959964 * 0.1173708 / 1.1920729
        #            = 0.1929770
        [group] = Agreement.get_agreement(self.domain)
        self.assertEqual((group["lang"], group["network"], group["corrections"], group["scored"], group["agree"]),
                         ("en", "x", 20, 20, 13))
        self.assertAlmostEqual(group["accuracy"], 0.65)
        self.assertAlmostEqual(group["low"], 0.6258312 - 0.1929770, places=6)  # 0.4328543
        self.assertAlmostEqual(group["high"], 0.6258312 + 0.1929770, places=6)  # 0.8188082
        self.assertEqual((group["measured"], group["low_agreement"]), (True, False), "0.82 is not below 0.7")
        self.assertEqual(Agreement.get_confusion_matrix(self.domain),
                         {("positive", "positive"): 13, ("negative", "positive"): 7})

        # 5 of the agreeing ones said neutral instead: 8 of 20
        # centre = (0.4 + 0.0960365) / 1.1920729 = 0.4161125
        # half-width = 1.959964 * sqrt(0.4 * 0.6 / 20 + 0.0024009) / 1.1920729 = 1.959964 * 0.1200038 / 1.1920729
        #            = 0.1973060
        self.judged[:5].action_sentiment_neutral()
        [group] = Agreement.get_agreement(self.domain)
        self.assertEqual((group["corrections"], group["agree"]), (20, 8), "the latest click on each mention counts")
        self.assertAlmostEqual(group["low"], 0.4161125 - 0.1973060, places=6)  # 0.2188065
        self.assertAlmostEqual(group["high"], 0.4161125 + 0.1973060, places=6)  # 0.6134185
        self.assertTrue(group["low_agreement"], "even the upper bound is below 0.7, on 20 corrections")
        self.assertEqual(Agreement.get_confusion_matrix(self.domain),
                         {("positive", "positive"): 8, ("neutral", "positive"): 5, ("negative", "positive"): 7})
        # the list and pivot views group the same way
        [(accuracy, low, high)] = Agreement._read_group(
            self.domain, [], ["accuracy:avg", "accuracy_low:avg", "accuracy_high:avg"])
        self.assertAlmostEqual(accuracy, 0.4)
        self.assertAlmostEqual(low, 0.2188065, places=6)
        self.assertAlmostEqual(high, 0.6134185, places=6)

    def test_the_report_says_when_figures_rest_on_low_agreement(self):
        agreement, html = self._report()
        self.assertIsNone(agreement["overall"])
        self.assertNotIn("o_low_agreement", html)
        self.assertIn("has not set the sentiment of any mention yet", html)

        self.judged[:19].action_sentiment_negative()  # the engine said positive: 1 agreement in 20
        self.judged[19:].action_sentiment_positive()
        agreement, html = self._report()
        [line] = agreement["lines"]
        self.assertEqual((line["lang"], line["engine_scored"], line["corrected"], line["status"]),
                         ("en", 10, 20, "low"), "20 corrections, the upper bound far below 0.7")
        self.assertEqual(agreement["low_mentions"], 10, "the 10 mentions left to the engine rest on it")
        self.assertIn("o_low_agreement", html)
        self.assertIn("LOW SENTIMENT ACCURACY", html)
        self.assertIn("o_confusion_matrix", html)
        # a language the engine does not read, every mention of it judged by the team: nothing rests on the engine
        french = self._create_mentions(self.source, [{"body": FRENCH_NEGATIVE, "lang": "fr", "posted_at": self.now}])
        french.action_sentiment_negative()
        agreement, html = self._report()
        self.assertEqual([(line["lang"], line["status"]) for line in agreement["lines"]],
                         [("en", "low"), ("fr", "team")])
        self.assertEqual(agreement["low_mentions"], 10)

        # 20 scored corrections needed: one fewer and the agreement is not measured yet
        self.env["ir.config_parameter"].set_param("social_crm_reputation.agreement_min_corrections", "21")
        agreement, html = self._report()
        self.assertEqual((agreement["lines"][0]["status"], agreement["low_mentions"], agreement["unmeasured_mentions"]),
                         ("unmeasured", 0, 10))
        self.assertNotIn("o_low_agreement", html)
        self.assertIn("not measured", html)

    def test_a_good_engine_raises_no_warning(self):
        self.judged.action_sentiment_positive()
        self.unjudged[:5].action_sentiment_negative()
        agreement, html = self._report()
        self.assertEqual(agreement["overall"]["agree"], 25)
        self.assertEqual((agreement["lines"][0]["status"], agreement["low_mentions"]), ("measured", 0))
        self.assertNotIn("o_low_agreement", html)
        self.assertIn("100.0 %", html)

    def test_corrections_outlive_their_mentions(self):
        self.judged[:3].action_sentiment_negative()
        corrections = self.judged[:3].sentiment_correction_id
        self.judged[:3].unlink()
        self.assertEqual(len(corrections.exists()), 3, "the measurement keeps no word of the text: it stays")
        self.assertFalse(corrections.mention_id)
        [group] = self.env["social.sentiment.agreement"].get_agreement(self.domain)
        self.assertEqual(group["corrections"], 3)


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestSentimentCorrectionTour(HttpCase):
    """In a real browser: one click in the inbox list, undo, the form's buttons and the card's faces."""

    def test_correction_tour(self):
        source = self.env["social.source"].create({"name": "Correction tour webhook", "source_type": "webhook",
                                                   "network": "x"})
        mention = self.env["social.mention"].create({
            "source_id": source.id, "network": "x", "external_id": "correction-tour", "author_handle": "tour_author",
            "body": "What a wonderful phone, I love it!", "lang": "en"})
        self.assertEqual(mention.sentiment_label, "positive")
        action = self.env.ref("social_crm.social_mention_action").copy(
            {"domain": [("source_id", "=", source.id)], "context": "{}"})
        self.start_tour(f"/odoo/action-{action.id}", "social_sentiment_correction_tour", login="admin", timeout=180)
        self.assertEqual((mention.sentiment_label, mention.sentiment_correction_id.user_id.login),
                         ("negative", "admin"))
        corrections = self.env["social.sentiment.correction"].search([("mention_id", "=", mention.id)], order="id")
        self.assertEqual(corrections.mapped("label"), ["neutral", "negative"],
                         "the undone click is gone; the form's and the card's stay, the card's current")
