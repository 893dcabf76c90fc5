from odoo import fields, models, tools
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

from ..models.social_mention import MENTION_STATES

# measures aggregated as a percentile of the response time, whatever the grouping
PERCENTILES = {"response_hours_median": 0.5, "response_hours_p90": 0.9}


class SocialMentionSlaReport(models.Model):
    """One row per mention with a response deadline: whether it was answered in time and how fast.

    The median and the 90th percentile are computed over the rows of each group (``percentile_cont``),
    not averaged from finer groups."""

    _name = "social.mention.sla.report"
    _description = "Social Mention Response Times"
    _inherit = ["social.network.mixin"]
    _auto = False
    _rec_name = "mention_id"
    _order = "posted_at desc"

    mention_id = fields.Many2one(comodel_name="social.mention", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    source_id = fields.Many2one(comodel_name="social.source", readonly=True)
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", readonly=True)
    network = fields.Selection(readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Assigned To", readonly=True)
    state = fields.Selection(selection=MENTION_STATES, readonly=True)
    posted_at = fields.Datetime(string="Posted On", readonly=True)
    response_due_at = fields.Datetime(string="Answer By", readonly=True)
    replied_at = fields.Datetime(string="Answered On", readonly=True)
    response_breached = fields.Boolean(string="Answered Late", readonly=True)
    mention_count = fields.Integer(string="Mentions", readonly=True)
    answered_count = fields.Integer(string="Answered", readonly=True)
    breached_count = fields.Integer(string="Late", readonly=True,
                                    help="Answered late, or unanswered past the deadline.")
    in_time_rate = fields.Float(
        string="In Time (%)", aggregator="avg", readonly=True,
        help="Share of the mentions answered by their deadline, among those answered or past their deadline.")
    response_hours = fields.Float(string="Response (h, average)", aggregator="avg", readonly=True)
    response_hours_median = fields.Float(string="Response (h, median)", aggregator="avg", readonly=True)
    response_hours_p90 = fields.Float(string="Response (h, 90th percentile)", aggregator="avg",
                                      readonly=True)

    def _select(self):
        return SQL("""
            SELECT m.id,
                   m.id AS mention_id,
                   m.company_id,
                   m.source_id,
                   m.team_id,
                   m.network,
                   m.user_id,
                   m.state,
                   m.posted_at,
                   m.response_due_at,
                   m.replied_at,
                   COALESCE(m.response_breached, FALSE) AS response_breached,
                   1 AS mention_count,
                   CASE WHEN m.replied_at IS NOT NULL THEN 1 ELSE 0 END AS answered_count,
                   CASE WHEN m.response_breached THEN 1 ELSE 0 END AS breached_count,
                   CASE WHEN m.response_breached THEN 0.0 WHEN m.replied_at IS NOT NULL THEN 100.0 END AS in_time_rate,
                   %(hours)s AS response_hours,
                   %(hours)s AS response_hours_median,
                   %(hours)s AS response_hours_p90
        """, hours=SQL(
            "CASE WHEN m.replied_at IS NOT NULL THEN GREATEST(EXTRACT(EPOCH FROM m.replied_at - m.posted_at), 0) "
            "/ 3600.0 END"))

    def _from(self):
        return SQL("FROM social_mention m")

    def _where(self):
        return SQL("WHERE m.response_due_at IS NOT NULL")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s %s %s)", SQL.identifier(self._table),
                                self._select(), self._from(), self._where()))

    def _read_group_select(self, aggregate_spec, query):
        fname, _property, _func = parse_read_group_spec(aggregate_spec) if aggregate_spec != "__count" else (
            None, None, None)
        if fname in PERCENTILES:
            return SQL("percentile_cont(%s) WITHIN GROUP (ORDER BY %s)", PERCENTILES[fname],
                       self._field_to_sql(self._table, "response_hours", query))
        return super()._read_group_select(aggregate_spec, query)
