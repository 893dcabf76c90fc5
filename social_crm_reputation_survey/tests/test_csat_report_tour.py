from odoo.tests import HttpCase, tagged


@tagged("social_crm_reputation_survey", "post_install", "-at_install")
class TestCsatReportTour(HttpCase):
    """In a real browser: the satisfaction report opens from the CRM's reporting menu, pivot and graph."""

    def test_csat_report_tour(self):
        source = self.env["social.source"].create({"name": "CSAT tour source", "source_type": "webhook",
                                                   "network": "x"})
        partner = self.env["res.partner"].create({"name": "CSAT tour customer", "email": "csat.tour@example.com"})
        mention = self.env["social.mention"].create({
            "source_id": source.id, "network": "x", "external_id": "csat-tour", "author_handle": "csat_tour",
            "partner_id": partner.id, "body": "Where is my parcel?"})
        survey = self.env.ref("social_crm_reputation_survey.survey_survey_csat")
        answer = self.env["survey.user_input"].create({
            "survey_id": survey.id, "partner_id": partner.id, "social_mention_id": mention.id, "state": "done"})
        self.env["survey.user_input.line"].create({
            "user_input_id": answer.id, "question_id": survey.question_ids.id, "answer_type": "scale",
            "value_scale": 5, "skipped": False})
        self.assertEqual(answer.social_csat_score, 5)
        self.start_tour("/odoo", "social_crm_csat_report_tour", login="admin", timeout=180)
