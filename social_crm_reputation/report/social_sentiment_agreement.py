"""How often the sentiment engine agrees with the team, measured on the mentions the team corrected.

One row per mention the team corrected (its current correction): grouped by language and network
it gives the engine's accuracy on the company's own mentions with its Wilson interval; pivoted by
the team's label against the engine's, the confusion matrix. Accuracy and interval of any group
come from the group's summed counts (as every ratio of the brand series), never from an average of
ratios.
"""
from odoo import api, fields, models
from odoo.tools import SQL

from ..models.res_config_settings import AGREEMENT_LOW_BELOW, AGREEMENT_MIN_CORRECTIONS
from ..models.social_sentiment_correction import ENGINE_LABELS, TEAM_LABELS

SCORED_LABELS = ("positive", "neutral", "negative")
UNKNOWN_LANGUAGE = "und"  # ISO 639-2 "undetermined"


class SocialSentimentAgreement(models.Model):
    _name = "social.sentiment.agreement"
    _inherit = ["social.network.mixin", "social.agreement.mixin"]
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
    scored_count = fields.Integer(help="Corrected mentions the engine had given a label (it leaves unscored the "
                                       "languages it cannot judge).")
    agree_count = fields.Integer(help="Scored mentions to which the team gave the engine's label.")

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
                   %(accuracy)s
        """, unknown=UNKNOWN_LANGUAGE, scored=scored, agree=agree, accuracy=self._accuracy_select(agree, scored))

    def _from(self):
        return SQL("FROM social_sentiment_correction c")

    def _where(self):
        return SQL("WHERE c.is_current")

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
