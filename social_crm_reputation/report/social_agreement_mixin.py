"""The accuracy columns shared by the reports of the engine's agreement with a human label (the
team's corrections, the customers' stars): one place for the ratio, its interval and their grouping."""
from odoo import api, fields, models
from odoo.tools import SQL

from ..lib.stats import Z_95

ACCURACY_AGGREGATES = ("accuracy:avg", "accuracy_low:avg", "accuracy_high:avg")


def wilson_sql(successes, total, bound):
    """SQL of the Wilson score interval's ``bound`` (-1 low, +1 high) of ``successes / total``,
    the formula of :func:`~..lib.stats.wilson_interval`: exactly 0 at 0/n and 1 at n/n, and the
    whole range (0, 1) when ``total`` is 0, since nothing is known."""
    return SQL(
        """CASE WHEN COALESCE(%(n)s, 0) = 0 THEN (CASE WHEN %(bound)s < 0 THEN 0.0 ELSE 1.0 END)
               ELSE CASE
               WHEN %(bound)s < 0 AND %(k)s = 0 THEN 0.0
               WHEN %(bound)s > 0 AND %(k)s = %(n)s THEN 1.0
               ELSE GREATEST(0.0, LEAST(1.0,
                    ((%(k)s::float8 / %(n)s) + %(z2)s / (2 * %(n)s)
                     + %(bound)s * %(z)s * sqrt((%(k)s::float8 / %(n)s) * (1 - %(k)s::float8 / %(n)s) / %(n)s
                                               + %(z2)s / (4 * %(n)s::float8 * %(n)s)))
                    / (1 + %(z2)s / %(n)s))) END END""",
        k=successes, n=total, z=Z_95, z2=Z_95 * Z_95, bound=bound)


class SocialAgreementMixin(models.AbstractModel):
    """Counts of scored and agreeing items with the accuracy they give, for SQL report models.

    The report selects ``scored_count`` and ``agree_count`` and the columns of
    :meth:`_accuracy_select`; a group's accuracy and interval come from its summed counts, never
    from an average of ratios.
    """

    _name = "social.agreement.mixin"
    _description = "Agreement of the Sentiment Engine with a Human Label"

    scored_count = fields.Integer(string="Scored", readonly=True, aggregator="sum",
                                  help="Items the engine gave a label (it leaves unscored the languages it "
                                       "cannot judge).")
    agree_count = fields.Integer(string="Agreeing", readonly=True, aggregator="sum",
                                 help="Scored items whose engine label is the human label.")
    accuracy = fields.Float(readonly=True, aggregator="avg", digits=(16, 3),
                            help="Agreeing items among the scored ones, from the summed counts.")
    accuracy_low = fields.Float(string="Accuracy (95 % low)", readonly=True, aggregator="avg", digits=(16, 3),
                                help="Lower bound of the Wilson 95 % interval of the accuracy.")
    accuracy_high = fields.Float(string="Accuracy (95 % high)", readonly=True, aggregator="avg", digits=(16, 3),
                                 help="Upper bound of the Wilson 95 % interval of the accuracy.")

    @api.model
    def _accuracy_select(self, agree, scored):
        """The ``accuracy``, ``accuracy_low`` and ``accuracy_high`` columns of one row of the report,
        from the SQL of its agreeing and scored counts."""
        return SQL("%(agree)s::float8 / NULLIF(%(scored)s, 0) AS accuracy, %(low)s AS accuracy_low, "
                   "%(high)s AS accuracy_high", agree=agree, scored=scored,
                   low=wilson_sql(agree, scored, -1), high=wilson_sql(agree, scored, 1))

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """Accuracy and its interval of a group from the group's summed counts."""
        if aggregate_spec in ACCURACY_AGGREGATES:
            agree = SQL("SUM(%s)", self._field_to_sql(self._table, "agree_count", query))
            scored = SQL("SUM(%s)", self._field_to_sql(self._table, "scored_count", query))
            if aggregate_spec == "accuracy:avg":
                return SQL("%s::float8 / NULLIF(%s, 0)", agree, scored)
            return wilson_sql(agree, scored, -1 if aggregate_spec == "accuracy_low:avg" else 1)
        return super()._read_group_select(aggregate_spec, query)
