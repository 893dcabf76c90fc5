from odoo import api, fields, models

CSAT_SATISFIED_FROM = 4
"""On the 1 to 5 scale of the satisfaction survey, the answers counted as satisfied (4 and 5)."""


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    # A few invitations among all the answers of the database: a sparse index
    social_mention_id = fields.Many2one(
        comodel_name="social.mention", index="btree_not_null", ondelete="set null",
        readonly=True, help="The answered mention after which this satisfaction survey was sent.")
    social_csat_score = fields.Integer(
        string="Satisfaction (1-5)", compute="_compute_social_csat_score", store=True, aggregator="avg",
        help="The answer to the first scale question of a satisfaction survey sent after an answer; "
             "0 until answered.")

    @api.depends("social_mention_id", "state", "user_input_line_ids.value_scale",
                 "user_input_line_ids.answer_type", "user_input_line_ids.skipped")
    def _compute_social_csat_score(self):
        for answer in self:
            scales = answer.user_input_line_ids.filtered(
                lambda line: line.answer_type == "scale" and not line.skipped)
            done = answer.social_mention_id and answer.state == "done" and scales
            answer.social_csat_score = scales.sorted(lambda line: (line.question_id.sequence, line.id))[
                0].value_scale if done else 0
