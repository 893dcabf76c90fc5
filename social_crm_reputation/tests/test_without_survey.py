"""Without social_crm_reputation_survey (installed with the Surveys app), reports and contacts
have no survey comparison, and nothing fails."""
import unittest
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import ReputationCommon

POSITIVE = "Absolutely wonderful, the best phone I ever had. I LOVE it!!!"
REPORT = "social_crm_reputation.action_report_reputation"


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestWithoutSurvey(ReputationCommon):
    """Without the survey bridge, the comparison is absent, not an error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.env["ir.module.module"]._get("social_crm_reputation_survey").state == "installed":
            raise unittest.SkipTest("social_crm_reputation_survey is installed")

    def test_absent(self):
        self._mentions((self.ann, POSITIVE, 1))
        today = fields.Date.context_today(self.Partner.with_context(tz="UTC"))
        self.assertIsNone(self.Mention._survey_comparison([], today - timedelta(days=7), today))
        self.assertNotIn("social_survey_name", self.Partner._fields)
        arch = self.Partner.get_view(view_type="form")["arch"]
        self.assertIn('name="action_recompute_social_reputation"', arch)
        self.assertNotIn("social_survey", arch)
        wizard = self.env["social.reputation.report.wizard"].create({"date_from": today - timedelta(days=7),
                                                                      "date_to": today})
        html = self.env["ir.actions.report"]._render_qweb_html(REPORT, wizard.ids)[0].decode()
        self.assertIn("Headline figures", html)
        self.assertNotIn("Social vs survey", html)
