"""How often the sentiment engine agrees with the customers' own stars, on the shop's reviews.

One row per company, day, product, language, star label and engine label, with its counts: grouped by
language it gives the engine's accuracy with its Wilson interval; pivoted by star label against
engine label, the confusion matrix. Accuracy and interval of any group come from the group's summed
counts (as every ratio of the brand series), never from an average of ratios.
"""
from odoo import fields, models
from odoo.tools import SQL

from ..models.social_mention import STAR_LABELS

ENGINE_LABELS = [*STAR_LABELS, ("unscored", "Unscored")]
# The engine's own label: a mention the team corrected keeps it beside the team's
ENGINE_LABEL = SQL("COALESCE(m.sentiment_engine_label, m.sentiment_label, 'unscored')")


class SocialReviewAgreement(models.Model):
    _name = "social.review.agreement"
    _inherit = ["social.agreement.mixin"]
    _description = "Sentiment Agreement with Review Stars"
    _auto = False
    _order = "lang, star_label, engine_label"
    _depends = {"social.mention": ["review_label", "sentiment_label", "sentiment_engine_label", "detected_lang",
                                   "company_id", "posted_at", "product_id"]}

    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    date = fields.Date(string="Review Date", readonly=True)
    product_id = fields.Many2one(comodel_name="product.template", readonly=True)
    lang = fields.Char(string="Language", readonly=True,
                       help="The language of the review, as given or detected; 'und' when unknown.")
    star_label = fields.Selection(selection=STAR_LABELS, string="Stars Say", readonly=True)
    engine_label = fields.Selection(selection=ENGINE_LABELS, string="Engine Says", readonly=True)
    review_count = fields.Integer(string="Reviews", readonly=True, aggregator="sum")
    scored_count = fields.Integer(help="Reviews the engine gave a label (it leaves unscored the languages it "
                                       "cannot judge).")
    agree_count = fields.Integer(help="Scored reviews whose engine label is the stars' label.")

    @property
    def _table_query(self):
        return SQL("%s %s %s %s", self._select(), self._from(), self._where(), self._group_by())

    def _select(self):
        scored = SQL("COUNT(*) FILTER (WHERE %s IN ('positive', 'neutral', 'negative'))", ENGINE_LABEL)
        agree = SQL("COUNT(*) FILTER (WHERE %s = m.review_label)", ENGINE_LABEL)
        return SQL("""
            SELECT MIN(m.id) AS id,
                   m.company_id,
                   m.posted_at::date AS date,
                   m.product_id,
                   COALESCE(NULLIF(m.detected_lang, ''), 'und') AS lang,
                   m.review_label AS star_label,
                   %(engine)s AS engine_label,
                   COUNT(*) AS review_count,
                   %(scored)s AS scored_count,
                   %(agree)s AS agree_count,
                   %(accuracy)s
        """, engine=ENGINE_LABEL, scored=scored, agree=agree, accuracy=self._accuracy_select(agree, scored))

    def _from(self):
        return SQL("FROM social_mention m")

    def _where(self):
        return SQL("WHERE m.review_label IS NOT NULL")

    def _group_by(self):
        return SQL("GROUP BY m.company_id, m.posted_at::date, m.product_id,"
                   " COALESCE(NULLIF(m.detected_lang, ''), 'und'), m.review_label, %s", ENGINE_LABEL)
