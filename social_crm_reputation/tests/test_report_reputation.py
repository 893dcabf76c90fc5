from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.social_crm_reputation.lib import stats

from .common import VERY_NEGATIVE, VERY_POSITIVE, ReputationCommon

SCRIPT_POSITIVE = "<script>alert('x')</script> I love it, wonderful phone!"
NEUTRAL = "I received the package on Tuesday."
REPORT = "social_crm_reputation.action_report_reputation"


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReportReputation(ReputationCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._source_of_own_company("Reputation report")
        cls.today = fields.Date.context_today(cls.env["res.partner"].with_context(tz="UTC"))
        cls.mentions = cls._mentions(
            (cls.ann, VERY_POSITIVE, 1), (cls.ann, VERY_POSITIVE, 2), (cls.ann, SCRIPT_POSITIVE, 3),
            (cls.bob, VERY_NEGATIVE, 1, 500), (cls.bob, VERY_NEGATIVE, 8),
            (cls.carl, NEUTRAL, 2),
            (cls.ann, VERY_NEGATIVE, 40))  # before the period
        cls.unscored = cls.Mention.create({
            "source_id": cls.source.id, "network": "x", "external_id": "rep-report-fr", "author_handle": "pierre",
            "body": "Je n'aime pas du tout ce téléphone, il est vraiment nul.", "lang": "fr",
            "posted_at": cls.now - timedelta(days=4)})
        (cls.ann | cls.bob | cls.carl).action_recompute_social_reputation()
        cls.alert = cls.env["social.reputation.alert"].create({
            "name": "Report test alert", "kind": "negative_spike", "date": cls.today - timedelta(days=1),
            "source_id": cls.source.id, "dedup_key": "report-test-alert", "negative_count": 2})
        cls.wizard = cls.env["social.reputation.report.wizard"].create(
            {"date_from": cls.today - timedelta(days=13), "date_to": cls.today, "company_id": cls.company.id})
        cls.empty_wizard = cls.env["social.reputation.report.wizard"].create(
            {"date_from": date(2001, 1, 1), "date_to": date(2001, 1, 31), "company_id": cls.company.id})

    def _figures(self, wizard):
        values = self.env["report.social_crm_reputation.report_reputation"]._get_report_values(wizard.ids)
        return values["figures"][wizard.id]

    def test_labels_of_fixture(self):
        self.assertEqual(self.mentions.mapped("sentiment_label"),
                         ["positive"] * 3 + ["negative"] * 2 + ["neutral", "negative"])
        self.assertEqual(self.unscored.sentiment_label, "unscored")

    def test_figures_on_known_data(self):
        figures = self._figures(self.wizard)
        h = figures["headline"]
        self.assertEqual((h["mentions"], h["scored"], h["positive"], h["neutral"], h["negative"]), (7, 6, 3, 1, 2))
        self.assertAlmostEqual(h["positive_pct"], 50.0)
        self.assertAlmostEqual(h["negative_pct"], 100 * 2 / 6)
        self.assertAlmostEqual(h["net_sentiment"], 1 / 6)
        self.assertEqual(h["authors"], 4, "three customers and one unknown author")
        self.assertEqual(h["customers"], 3)
        low, high = stats.wilson_interval(3, 6)
        self.assertAlmostEqual(h["positive_share_low"], low)
        self.assertAlmostEqual(h["positive_share_high"], high)
        self.assertTrue(h["anecdotal"], "three customers are anecdotal")
        self.assertEqual(sum(week["mentions"] for week in figures["weeks"]), 7)
        self.assertEqual(sum(week["negative"] for week in figures["weeks"]), 2)
        self.assertTrue(all(week["week"].weekday() == 0 for week in figures["weeks"]))
        self.assertIn("<svg", figures["chart"])
        self.assertEqual(len(figures["top_positive"]), 3)
        self.assertEqual(set(figures["top_positive"].mapped("sentiment_label")), {"positive"})
        self.assertEqual(figures["top_negative"], self.mentions[3:5].sorted(lambda m: (m.sentiment_score, -m.reach)))
        self.assertEqual(figures["alerts"], self.alert)
        movers = figures["movers"]
        self.assertTrue(movers <= (self.ann | self.bob | self.carl))
        trends = [abs(partner.social_reputation_trend) for partner in movers]
        self.assertEqual(trends, sorted(trends, reverse=True))
        self.assertIn(self.ann, movers, "ann went from negative to positive")

    def test_other_company_sees_nothing(self):
        other = self.env["res.company"].create({"name": "Other reputation company"})
        self.env.user.company_ids |= other
        figures = self.env["report.social_crm_reputation.report_reputation"]._reputation_figures(
            self.wizard.date_from, self.wizard.date_to, other)
        self.assertEqual(figures["headline"]["mentions"], 0)
        self.assertFalse(figures["top_positive"] or figures["alerts"] or figures["movers"])

    def test_empty_period(self):
        figures = self._figures(self.empty_wizard)
        h = figures["headline"]
        self.assertEqual((h["mentions"], h["scored"], h["customers"], h["authors"]), (0, 0, 0, 0))
        self.assertEqual((h["net_sentiment"], h["positive_pct"], h["customer_share"]), (0.0, 0.0, 0.0))
        self.assertTrue(h["anecdotal"])
        self.assertEqual(figures["weeks"], [])
        self.assertIsNone(figures["chart"])
        self.assertFalse(figures["top_positive"] or figures["top_negative"] or figures["alerts"] or figures["movers"])
        html, report_type = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.empty_wizard.ids)
        self.assertEqual(report_type, "html")
        html = html.decode()
        self.assertIn("No mention in this period.", html)
        self.assertIn("ANECDOTAL", html)

    def test_html_render_escapes_mentions(self):
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.wizard.ids)[0].decode()
        self.assertIn("Reputation report", html)
        self.assertIn("ANECDOTAL", html)
        self.assertIn("<svg", html)
        self.assertIn("&lt;script&gt;alert(", html)
        self.assertNotIn("<script>alert(", html)
        self.assertIn("Report test alert", html)
        self.assertIn(self.ann.name, html)

    def test_not_anecdotal_hides_flag(self):
        self.env["ir.config_parameter"].sudo().set_param("social_crm_reputation.anecdotal_min_customers", "1")
        self.env["ir.config_parameter"].sudo().set_param("social_crm_reputation.anecdotal_min_share", "0")
        self.assertFalse(self._figures(self.wizard)["headline"]["anecdotal"])
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, self.wizard.ids)[0].decode()
        self.assertNotIn("ANECDOTAL", html)

    def test_wizard(self):
        with self.assertRaises(ValidationError):
            self.env["social.reputation.report.wizard"].create(
                {"date_from": self.today, "date_to": self.today - timedelta(days=1)})
        action = self.wizard.action_print()
        # without a document layout yet, Odoo asks for one first and prints afterwards
        action = action.get("context", {}).get("report_action", action)
        self.assertEqual(action["report_name"], "social_crm_reputation.report_reputation")
        self.assertTrue(self.env.ref("social_crm_reputation.social_reputation_report_wizard_menu"))

    def test_pdf_render(self):
        # force_report_rendering: under tests Odoo answers HTML instead of calling wkhtmltopdf
        pdf, report_type = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            REPORT, self.wizard.ids)
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), pdf[:20])
        self.assertGreater(len(pdf), 5000)
