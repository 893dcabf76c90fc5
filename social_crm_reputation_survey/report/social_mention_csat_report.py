"""Satisfaction (CSAT) after an answer: the satisfaction surveys sent once mentions were answered,
and what the customers answered.

One row per invitation. Any group's figures come from its summed counts, never from an average of
ratios: the response rate (answers among invitations), the CSAT (answers of 4 or 5 among answers)
with its 95 % Wilson interval, and how representative it is: the distinct customers who answered,
and their share of the customers with a received mention in the weeks of the group's invitations.
Below the anecdotal limits of the reputation settings (30 customers, 5 % by default) the group's
figure is flagged anecdotal.
"""
from odoo import api, fields, models
from odoo.models import parse_read_group_spec
from odoo.tools import SQL
from odoo.tools.misc import get_lang

from odoo.addons.social_crm_reputation.lib import stats
from odoo.addons.social_crm_reputation.report.social_agreement_mixin import wilson_sql

from ..models.survey_user_input import CSAT_SATISFIED_FROM

GROUP_MEASURES = ("response_rate", "csat", "csat_low", "csat_high", "customer_count", "customer_base",
                  "customer_share", "anecdotal")


class SocialMentionCsatReport(models.Model):
    _name = "social.mention.csat.report"
    _inherit = ["social.network.mixin"]
    _description = "Satisfaction after an Answer (CSAT)"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "mention_id"
    _depends = {
        "survey.user_input": ["social_mention_id", "partner_id", "state", "test_entry", "social_csat_score",
                              "create_date"],
        "social.mention": ["company_id", "source_id", "team_id", "network", "replied_by_id", "direction",
                           "partner_id", "posted_at"],
    }

    mention_id = fields.Many2one(comodel_name="social.mention", readonly=True)
    answer_id = fields.Many2one(comodel_name="survey.user_input", string="Survey Answer", readonly=True)
    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    source_id = fields.Many2one(comodel_name="social.source", readonly=True)
    team_id = fields.Many2one(comodel_name="crm.team", string="Sales Team", readonly=True)
    network = fields.Selection(readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Answered By", readonly=True)
    date = fields.Date(string="Invited On", readonly=True)
    score = fields.Integer(string="Satisfaction (1-5)", readonly=True, aggregator="avg",
                           help="The answer, from 1 (not at all satisfied) to 5 (very satisfied); 0 until answered.")
    invitation_count = fields.Integer(string="Invitations", readonly=True, aggregator="sum")
    answer_count = fields.Integer(string="Answers", readonly=True, aggregator="sum")
    satisfied_count = fields.Integer(string="Satisfied", readonly=True, aggregator="sum",
                                     help="Answers of 4 or 5.")
    response_rate = fields.Float(readonly=True, aggregator="avg", digits=(16, 1),
                                 help="Answers among the invitations.")
    csat = fields.Float(string="CSAT", readonly=True, aggregator="avg", digits=(16, 1),
                        help="Satisfied answers (4 or 5) among the answers.")
    csat_low = fields.Float(string="CSAT (95 % low)", readonly=True, aggregator="avg", digits=(16, 1),
                            help="Lower bound of the Wilson 95 % interval of the CSAT.")
    csat_high = fields.Float(string="CSAT (95 % high)", readonly=True, aggregator="avg", digits=(16, 1),
                             help="Upper bound of the Wilson 95 % interval of the CSAT.")
    customer_count = fields.Integer(string="Customers Answering", readonly=True, aggregator="sum",
                                    help="Distinct customers (companies count once) who answered.")
    customer_base = fields.Integer(
        string="Customers with Mentions", readonly=True, aggregator="sum",
        help="Distinct customers with a received mention posted in the weeks of the invitations, in the same "
             "companies.")
    customer_share = fields.Float(string="Share of Customers", readonly=True, aggregator="avg", digits=(16, 1),
                                  help="Customers answering among the customers with mentions.")
    anecdotal = fields.Boolean(
        readonly=True, aggregator="bool_or",
        help="Set when the figure rests on fewer customers, or a smaller share of them, than the anecdotal "
             "limits of the reputation settings (30 customers and 5 % by default): read it as anecdotes.")

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def _select(self):
        answered = SQL("(a.state = 'done' AND a.social_csat_score > 0)")
        return SQL("""
            SELECT a.id AS id,
                   a.id AS answer_id,
                   m.id AS mention_id,
                   COALESCE(p.commercial_partner_id, a.partner_id) AS partner_id,
                   m.company_id,
                   m.source_id,
                   m.team_id,
                   m.network,
                   m.replied_by_id AS user_id,
                   a.create_date::date AS date,
                   a.social_csat_score AS score,
                   1 AS invitation_count,
                   CASE WHEN %(answered)s THEN 1 ELSE 0 END AS answer_count,
                   CASE WHEN %(answered)s AND a.social_csat_score >= %(satisfied)s THEN 1 ELSE 0 END AS satisfied_count,
                   CASE WHEN %(answered)s THEN 1.0 ELSE 0.0 END AS response_rate,
                   CASE WHEN %(answered)s THEN (a.social_csat_score >= %(satisfied)s)::int::float8 END AS csat,
                   NULL::float8 AS csat_low,
                   NULL::float8 AS csat_high,
                   CASE WHEN %(answered)s THEN 1 ELSE 0 END AS customer_count,
                   0 AS customer_base,
                   NULL::float8 AS customer_share,
                   TRUE AS anecdotal
        """, answered=answered, satisfied=CSAT_SATISFIED_FROM)

    def _from(self):
        return SQL("""FROM survey_user_input a
                      JOIN social_mention m ON m.id = a.social_mention_id
                      LEFT JOIN res_partner p ON p.id = a.partner_id""")

    def _where(self):
        return SQL("WHERE a.test_entry IS NOT TRUE")

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """The group measures from the group's own rows (see the module's docstring)."""
        fname = parse_read_group_spec(aggregate_spec)[0] if aggregate_spec != "__count" else None
        if fname not in GROUP_MEASURES:
            return super()._read_group_select(aggregate_spec, query)

        def column(name):
            return self._field_to_sql(self._table, name, query)

        answers = SQL("SUM(%s)", column("answer_count"))
        satisfied = SQL("SUM(%s)", column("satisfied_count"))
        customers = SQL("COUNT(DISTINCT CASE WHEN %s = 1 THEN %s END)", column("answer_count"), column("partner_id"))
        # the aggregates of the outer columns are the group's: its companies and weeks (which start
        # on the day of the user's language, as the week groups of read_group do)
        first_week_day = int(get_lang(self.env).week_start) - 1
        offset = SQL("INTERVAL %s", f"-{first_week_day and 7 - first_week_day} DAY")
        base = SQL("""(SELECT COUNT(DISTINCT bp.commercial_partner_id)
                         FROM social_mention bm JOIN res_partner bp ON bp.id = bm.partner_id
                        WHERE bm.direction IS DISTINCT FROM 'outbound'
                          AND bm.company_id = ANY(ARRAY_AGG(DISTINCT %(company)s))
                          AND bm.posted_at >= date_trunc('week', MIN(%(date)s)::timestamp - %(offset)s) + %(offset)s
                          AND bm.posted_at < date_trunc('week', MAX(%(date)s)::timestamp - %(offset)s) + %(offset)s
                                             + INTERVAL '7 days')""",
                   company=column("company_id"), date=column("date"), offset=offset)
        share = SQL("(%s)::float8 / NULLIF(%s, 0)", customers, base)
        if fname == "response_rate":
            return SQL("%s::float8 / NULLIF(SUM(%s), 0)", answers, column("invitation_count"))
        if fname == "csat":
            return SQL("%s::float8 / NULLIF(%s, 0)", satisfied, answers)
        if fname in ("csat_low", "csat_high"):
            return wilson_sql(satisfied, answers, -1 if fname == "csat_low" else 1)
        if fname == "customer_count":
            return customers
        if fname == "customer_base":
            return base
        if fname == "customer_share":
            return share
        limits = self.env["social.mention"]._anecdotal_limits()
        return SQL("(%s < %s OR COALESCE(%s, 0) < %s)", customers, limits["min_customers"], share,
                   limits["min_share"])

    @api.model
    def get_csat(self, domain=None, groupby=("source_id", "date:week")):
        """The satisfaction after an answer of the invitations of ``domain``, per group of ``groupby``
        (public: for reports and dashboards).

        :return: one dict per group: the ``groupby`` values (record ids, selection keys, dates),
            ``invitations``, ``answers``, ``satisfied``, ``response_rate``, ``csat`` (None without
            answers), ``low`` and ``high`` (its 95 % Wilson interval), ``customers``, ``customer_base``,
            ``customer_share`` and ``anecdotal`` (as the reputation figures say it).
        """
        groupby = list(groupby)
        limits = self.env["social.mention"]._anecdotal_limits()
        result = []
        for row in self._read_group(list(domain or []), groupby, [
                "invitation_count:sum", "answer_count:sum", "satisfied_count:sum", "customer_count:sum",
                "customer_base:sum"]):
            keys = dict(zip(groupby, row[:len(groupby)], strict=True))
            invitations, answers, satisfied, customers, base = (value or 0 for value in row[len(groupby):])
            low, high = stats.wilson_interval(satisfied, answers)
            share = customers / base if base else 0.0
            result.append({
                **{name: value.id if isinstance(value, models.BaseModel) else value for name, value in keys.items()},
                "invitations": invitations, "answers": answers, "satisfied": satisfied,
                "response_rate": answers / invitations if invitations else 0.0,
                "csat": satisfied / answers if answers else None, "low": low, "high": high,
                "customers": customers, "customer_base": base, "customer_share": share,
                "anecdotal": stats.anecdotal(customers, share, **limits),
            })
        return result
