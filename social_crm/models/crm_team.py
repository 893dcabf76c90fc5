from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    resource_calendar_id = fields.Many2one(
        comodel_name="resource.calendar", string="Working Hours", ondelete="set null",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Hours in which the team answers mentions: response deadlines count only these hours "
             "(leaves excluded). Empty: the company's working hours.")
    social_response_hours = fields.Float(
        string="Mention Response Target",
        help="Business hours this team allows to answer a mention of its sources. Empty: the default of the "
             "Social CRM settings.")

    _sql_constraints = [
        ("social_response_hours_positive", "CHECK(social_response_hours IS NULL OR social_response_hours >= 0)",
         "The response target cannot be negative."),
    ]
