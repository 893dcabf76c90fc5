from odoo import api, fields, models

from .social_mention import SENTIMENT_LABELS


class SocialRoutingRule(models.Model):
    _inherit = "social.routing.rule"

    sentiment_label = fields.Selection(
        selection=SENTIMENT_LABELS, string="Sentiment",
        help="The mention's sentiment, as scored when it arrives. Empty: any sentiment.")

    def _compile(self):
        conditions = super()._compile()
        conditions["sentiment"] = self.sentiment_label
        return conditions

    @api.model
    def _matches(self, conditions, vals, partner_categories):
        if conditions.get("sentiment") and vals.get("sentiment_label") != conditions["sentiment"]:
            return False
        return super()._matches(conditions, vals, partner_categories)

    @api.model
    def _routing_vals_of(self, mentions):
        vals_list = super()._routing_vals_of(mentions)
        for vals, mention in zip(vals_list, mentions, strict=True):
            vals["sentiment_label"] = mention.sentiment_label
        return vals_list
