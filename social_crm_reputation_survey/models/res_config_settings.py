from odoo import Command, fields, models

from odoo.addons.social_crm.tools.settings import IDS, Setting

SURVEY_POSITIVE_THRESHOLD = Setting("social_crm_reputation.survey_positive_threshold", float, 70.0,
                                    minimum=0.0, maximum=100.0)
SURVEY_IDS = Setting("social_crm_reputation.survey_ids", IDS, ())
# satisfaction (CSAT) after an answer
CSAT_ENABLED = Setting("social_crm_reputation_survey.csat_enabled", bool, False)
CSAT_SURVEY_ID = Setting("social_crm_reputation_survey.csat_survey_id", int, 0, minimum=0)
CSAT_DELAY_HOURS = Setting("social_crm_reputation_survey.csat_delay_hours", float, 2.0, minimum=0.0, maximum=720.0)
CSAT_FATIGUE_DAYS = Setting("social_crm_reputation_survey.csat_fatigue_days", int, 30, minimum=0, maximum=3650)
CSAT_DEFAULT_SURVEY = "social_crm_reputation_survey.survey_survey_csat"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    social_crm_survey_positive_threshold = SURVEY_POSITIVE_THRESHOLD.field(
        fields.Float, string="Satisfied From (%)", digits=(16, 1),
        help="Score of a survey answer (in %, from 0 to 100) from which the customer counts as satisfied.")
    # stored as ids separated by commas in social_crm_reputation.survey_ids (see get_values/set_values)
    social_crm_survey_ids = fields.Many2many(
        comodel_name="survey.survey", relation="res_config_settings_social_crm_survey_rel",
        string="Compared Surveys", domain=[("scoring_type", "!=", "no_scoring")],
        help="The surveys whose answers are compared with the social reputation. Empty: every survey with "
             "scoring, except certifications and the surveys of other apps (recruitment, appraisals...).")

    social_crm_csat_enabled = CSAT_ENABLED.field(
        fields.Boolean, string="Ask for Satisfaction after an Answer",
        help="Once a mention is answered, its contact is invited by e-mail to a one-question survey (1 to 5), "
             "when they can be written to: not opted out of social listening, a valid e-mail address that is "
             "not blacklisted.")
    # stored as an id in social_crm_reputation_survey.csat_survey_id (see get_values/set_values)
    social_crm_csat_survey_id = fields.Many2one(
        comodel_name="survey.survey", string="Satisfaction Survey",
        domain=[("question_ids.question_type", "=", "scale")],
        help="The survey sent: its first scale question (1 to 5) is the satisfaction; 4 and 5 count as "
             "satisfied. Empty: the survey installed with the addon (How satisfied are you with our answer?).")
    social_crm_csat_delay_hours = CSAT_DELAY_HOURS.field(
        fields.Float, string="Send After (hours)", digits=(16, 1),
        help="Hours between the answer and the invitation, so that the customer has read the answer first.")
    social_crm_csat_fatigue_days = CSAT_FATIGUE_DAYS.field(
        fields.Integer, string="At Most Once Every (days)",
        help="A contact invited to a satisfaction survey is not invited again for this many days, whatever "
             "else is answered to them.")

    def get_values(self):
        values = super().get_values()
        survey = self.env["survey.survey"].browse(CSAT_SURVEY_ID.read(self.env, strict=False)).exists()
        values["social_crm_csat_survey_id"] = survey.id
        surveys = self.env["survey.survey"].browse(SURVEY_IDS.read(self.env, strict=False)).exists()
        values["social_crm_survey_ids"] = [Command.set(surveys.ids)]
        return values

    def set_values(self):
        result = super().set_values()
        value = ",".join(str(survey_id) for survey_id in self.social_crm_survey_ids.ids)
        params = self.env["ir.config_parameter"].sudo()
        if (params.get_param(SURVEY_IDS.key) or "") != value:
            params.set_param(SURVEY_IDS.key, value or False)
        csat_survey = str(self.social_crm_csat_survey_id.id or "")
        if (params.get_param(CSAT_SURVEY_ID.key) or "") != csat_survey:
            params.set_param(CSAT_SURVEY_ID.key, csat_survey or False)
        return result
