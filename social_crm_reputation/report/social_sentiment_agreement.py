"""How often the sentiment engine agrees with the team, measured on the mentions the team corrected.

One row per mention the team corrected (its current correction): grouped by language and network
it gives the engine's accuracy on the company's own mentions with its Wilson interval; pivoted by
the team's label against the engine's, the confusion matrix. Accuracy and interval of any group
come from the group's summed counts (as every ratio of the brand series), never from an average of
ratios.
"""
from odoo import api, fields, models
from odoo.tools import SQL

from ..lib.stats import Z_95
from ..models.res_config_settings import AGREEMENT_LOW_BELOW, AGREEMENT_MIN_CORRECTIONS
from ..models.social_sentiment_correction import ENGINE_LABELS, TEAM_LABELS

SCORED_LABELS = ("positive", "neutral", "negative")
UNKNOWN_LANGUAGE = "und"  # ISO 639-2 "undetermined"


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


class SocialSentimentAgreement(models.Model):
    _name = "social.sentiment.agreement"
    _inherit = ["social.network.mixin"]
    _description = "Sentiment Agreement with the Team"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "mention_id"
    _depends = {"social.sentiment.correction": [
        "mention_id", "company_id", "source_id", "network", "lang", "engine_label", "label", "user_id", "date",
        "is_current"]}

    mention_id = fields.Many2one(comodel_name="social.mention", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    source_id = fields.Many2one(comodel_name="social.source", readonly=True)
    network = fields.Selection(readonly=True)
    lang = fields.Char(string="Language", readonly=True,
                       help="The language of the mention, as given or detected; 'und' when unknown.")
    date = fields.Date(string="Corrected On", readonly=True)
    user_id = fields.Many2one(comodel_name="res.users", string="Corrected By", readonly=True)
    team_label = fields.Selection(selection=TEAM_LABELS, string="Team Says", readonly=True)
    engine_label = fields.Selection(selection=ENGINE_LABELS, string="Engine Says", readonly=True)
    correction_count = fields.Integer(string="Corrections", readonly=True, aggregator="sum",
                                      help="Mentions whose sentiment the team gave (the latest click on each).")
    scored_count = fields.Integer(string="Scored", readonly=True, aggregator="sum",
                                  help="Corrected mentions the engine had given a label (it leaves unscored the "
                                       "languages it cannot judge).")
    agree_count = fields.Integer(string="Agreeing", readonly=True, aggregator="sum",
                                 help="Scored mentions to which the team gave the engine's label.")
    accuracy = fields.Float(readonly=True, aggregator="avg", digits=(16, 3),
                            help="Agreeing mentions among the scored ones, from the summed counts.")
    accuracy_low = fields.Float(string="Accuracy (95 % low)", readonly=True, aggregator="avg", digits=(16, 3),
                                help="Lower bound of the Wilson 95 % interval of the accuracy.")
    accuracy_high = fields.Float(string="Accuracy (95 % high)", readonly=True, aggregator="avg", digits=(16, 3),
                                 help="Upper bound of the Wilson 95 % interval of the accuracy.")

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def _select(self):
        scored = SQL("(CASE WHEN c.engine_label IN %s THEN 1 ELSE 0 END)", SCORED_LABELS)
        agree = SQL("(CASE WHEN c.engine_label = c.label THEN 1 ELSE 0 END)")
        return SQL("""
            SELECT c.id AS id,
                   c.mention_id,
                   c.company_id,
                   c.source_id,
                   c.network,
                   COALESCE(NULLIF(c.lang, ''), %(unknown)s) AS lang,
                   c.date::date AS date,
                   c.user_id,
                   c.label AS team_label,
                   c.engine_label,
                   1 AS correction_count,
                   %(scored)s AS scored_count,
                   %(agree)s AS agree_count,
                   %(agree)s::float8 / NULLIF(%(scored)s, 0) AS accuracy,
                   %(low)s AS accuracy_low,
                   %(high)s AS accuracy_high
        """, unknown=UNKNOWN_LANGUAGE, scored=scored, agree=agree,
            low=wilson_sql(agree, scored, -1), high=wilson_sql(agree, scored, 1))

    def _from(self):
        return SQL("FROM social_sentiment_correction c")

    def _where(self):
        return SQL("WHERE c.is_current")

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """Accuracy and its interval of a group from the group's summed counts."""
        if aggregate_spec in ("accuracy:avg", "accuracy_low:avg", "accuracy_high:avg"):
            agree = SQL("SUM(%s)", self._field_to_sql(self._table, "agree_count", query))
            scored = SQL("SUM(%s)", self._field_to_sql(self._table, "scored_count", query))
            if aggregate_spec == "accuracy:avg":
                return SQL("%s::float8 / NULLIF(%s, 0)", agree, scored)
            return wilson_sql(agree, scored, -1 if aggregate_spec == "accuracy_low:avg" else 1)
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _agreement_limits(self):
        """``(min_scored, low_below)`` of the settings: the engine's agreement on a group is measured
        from ``min_scored`` scored corrections, and low when its upper bound is below ``low_below``."""
        return AGREEMENT_MIN_CORRECTIONS.read(self.env), AGREEMENT_LOW_BELOW.read(self.env)

    @api.model
    def get_agreement(self, domain=None, groupby=("lang", "network")):
        """The engine's agreement with the team on the corrections of ``domain``, per group of
        ``groupby`` (public: for reports and dashboards).

        :return: one dict per group, most corrections first: the ``groupby`` values (selection keys,
            record ids), ``corrections``, ``scored``, ``agree``, ``accuracy`` (None when nothing was
            scored), ``low`` and ``high`` (the 95 % Wilson interval), ``measured`` (enough scored
            corrections to tell) and ``low_agreement`` (measured, and even the upper bound is below
            the threshold of the settings).
        """
        min_scored, low_below = self._agreement_limits()
        groupby = list(groupby)
        rows = self._read_group(list(domain or []), groupby, [
            "correction_count:sum", "scored_count:sum", "agree_count:sum", "accuracy:avg",
            "accuracy_low:avg", "accuracy_high:avg"])
        result = []
        for row in rows:
            keys = dict(zip(groupby, row[:len(groupby)], strict=True))
            corrections, scored, agree, accuracy, low, high = row[len(groupby):]
            if not corrections:
                continue  # no group at all: no correction matches
            scored, agree = scored or 0, agree or 0
            measured = scored >= min_scored
            result.append({
                **{name: value.id if isinstance(value, models.BaseModel) else value for name, value in keys.items()},
                "corrections": corrections, "scored": scored, "agree": agree, "accuracy": accuracy if scored else None,
                "low": low if scored else 0.0, "high": high if scored else 1.0, "measured": measured,
                "low_agreement": measured and (high or 0.0) < low_below,
            })
        result.sort(key=lambda group: (-group["corrections"], *(str(group[name]) for name in groupby)))
        return result

    @api.model
    def get_confusion_matrix(self, domain=None):
        """``{(team label, engine label): corrections}`` of the corrections of ``domain``."""
        return {(team, engine): count for team, engine, count in self._read_group(
            list(domain or []), ["team_label", "engine_label"], ["correction_count:sum"])}
