"""The team's verdicts on the sentiment of mentions: the ground truth the engine is measured against."""
from odoo import fields, models

TEAM_LABELS = [
    ("positive", "Positive"),
    ("neutral", "Neutral"),
    ("negative", "Negative"),
]
ENGINE_LABELS = [*TEAM_LABELS, ("unscored", "Unscored")]


class SocialSentimentCorrection(models.Model):
    """One click of a person on the sentiment of a mention: the label they gave, and what the
    engine said at that moment, with who, when, the language and the network.

    The latest correction of a mention wins: the mention's sentiment (``sentiment_label``, the one
    every figure reads) is its label, until it is undone. Corrections are written only through the
    mention (:meth:`social.mention._correct_sentiment`, :meth:`social.mention._undo_sentiment_correction`),
    never edited: they are the measurement of the engine. A correction keeps no word of the text,
    so it stays when its mention goes (erasure, retention) and the measurement keeps its size.
    """

    _name = "social.sentiment.correction"
    _description = "Sentiment Correction"
    _order = "id desc"
    _inherit = ["social.network.mixin"]
    _rec_name = "label"

    mention_id = fields.Many2one(
        comodel_name="social.mention", index="btree_not_null", readonly=True, ondelete="set null",
        help="The mention corrected; empty once the mention was deleted (the measurement stays).")
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True, readonly=True)
    network = fields.Selection(readonly=True)
    source_id = fields.Many2one(comodel_name="social.source", readonly=True, ondelete="set null")
    lang = fields.Char(string="Language", readonly=True,
                       help="The mention's language, as its network gave it or as detected; empty when unknown.")
    engine_label = fields.Selection(
        selection=ENGINE_LABELS, string="Engine Said", required=True, readonly=True,
        help="The sentiment engine's label when the correction was made (Unscored: the engine does not "
             "judge the text, e.g. a language it does not read).")
    engine_score = fields.Float(readonly=True, digits=(3, 3),
                                help="The engine's score then, from -1 to 1 (0 when unscored).")
    label = fields.Selection(selection=TEAM_LABELS, string="Team Said", required=True, readonly=True)
    agree = fields.Boolean(string="Engine Agrees", readonly=True,
                           help="The team gave the label the engine had given.")
    user_id = fields.Many2one(comodel_name="res.users", string="Corrected By", readonly=True, ondelete="set null")
    date = fields.Datetime(string="Corrected On", required=True, readonly=True)
    is_current = fields.Boolean(
        string="Current", readonly=True, index=True,
        help="The latest correction of its mention: the mention's sentiment follows it, and so does the "
             "agreement report. An earlier one was overridden by a later click.")
