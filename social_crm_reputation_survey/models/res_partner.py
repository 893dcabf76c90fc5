from odoo import fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    _inherit = "res.partner"

    # voice of the customer: the latest survey result next to the social reputation
    social_survey_name = fields.Char(
        string="Latest Survey", compute="_compute_social_survey", groups="social_crm.social_crm_group_user",
        help="The survey this contact last completed among the surveys compared with the social reputation "
             "(Compared Surveys in the settings; by default every scored survey but certifications).")
    social_survey_score = fields.Float(string="Latest Survey Score (%)", compute="_compute_social_survey",
                                       digits=(5, 1), groups="social_crm.social_crm_group_user")
    social_survey_date = fields.Datetime(string="Latest Survey Answer", compute="_compute_social_survey",
                                         groups="social_crm.social_crm_group_user")
    social_survey_satisfied = fields.Boolean(
        string="Satisfied in Survey", compute="_compute_social_survey", groups="social_crm.social_crm_group_user",
        help="The latest survey score reaches the Satisfied From score of the settings (70 % by default).")

    def _compute_social_survey(self):
        """The latest compared survey answer of each contact of ``self`` (of all time), in one query."""
        latest = {}
        partner_ids = [partner_id for partner_id in self.ids if partner_id]
        if partner_ids:
            rows = self.env.execute_query(SQL(
                "SELECT latest.partner_id, latest.survey_id, latest.score, latest.answered_at, latest.satisfied"
                " FROM (%s) latest",
                self.env["social.mention"]._survey_latest_answers_sql(SQL("SELECT unnest(%s::int[])", partner_ids))))
            # sudo: only the title of the survey answered is shown, to users who see the contact's reputation
            surveys = self.env["survey.survey"].sudo().browse({row[1] for row in rows})
            surveys.fetch(["title"])
            latest = {row[0]: (surveys.browse(row[1]).title, *row[2:]) for row in rows}
        for partner in self:
            name, score, date, satisfied = latest.get(partner.id, (False, 0.0, False, False))
            partner.social_survey_name = name
            partner.social_survey_score = score
            partner.social_survey_date = date
            partner.social_survey_satisfied = satisfied

    def action_view_social_survey_answers(self):
        """The survey answers of this contact, within the survey access rights of the user."""
        self.ensure_one()
        self.env["survey.user_input"].check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Survey answers of %(partner)s", partner=self.display_name),
            "res_model": "survey.user_input",
            "views": [(False, "list"), (False, "form")],
            "domain": [("partner_id", "=", self.id)],
            "context": {"create": False},
        }
