from odoo.tests import HttpCase, tagged


@tagged("social_crm_reputation_survey", "post_install", "-at_install")
class TestReputationSettingsTour(HttpCase):
    """In a real browser: the Social CRM blocks of the CRM settings render and save, the survey comparison too."""

    def test_settings_tour(self):
        survey = self.env["survey.survey"].create(
            {"title": "Settings tour survey", "survey_type": "custom", "scoring_type": "scoring_without_answers"})
        self.start_tour("/odoo/action-crm.crm_config_settings_action", "social_crm_reputation_settings_tour",
                        login="admin", timeout=180)
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual((params.get_param("social_crm.webhook_max_bytes"),
                          params.get_param("social_crm_reputation.survey_positive_threshold"),
                          params.get_param("social_crm_reputation.survey_ids")), ("900", "80.0", str(survey.id)))
        self.assertEqual(self.env["social.mention"]._survey_settings(), (80.0, [survey.id]))
