from odoo import Command, fields, models

from odoo.addons.social_crm.tools.settings import IDS, Setting

SURVEY_POSITIVE_THRESHOLD = Setting("social_crm_reputation.survey_positive_threshold", float, 70.0,
                                    minimum=0.0, maximum=100.0)
SURVEY_IDS = Setting("social_crm_reputation.survey_ids", IDS, ())


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

    def get_values(self):
        values = super().get_values()
        surveys = self.env["survey.survey"].browse(SURVEY_IDS.read(self.env, strict=False)).exists()
        values["social_crm_survey_ids"] = [Command.set(surveys.ids)]
        return values

    def set_values(self):
        result = super().set_values()
        value = ",".join(str(survey_id) for survey_id in self.social_crm_survey_ids.ids)
        params = self.env["ir.config_parameter"].sudo()
        if (params.get_param(SURVEY_IDS.key) or "") != value:
            params.set_param(SURVEY_IDS.key, value or False)
        return result
