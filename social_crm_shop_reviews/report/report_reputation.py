from datetime import timedelta

from odoo import api, models

from odoo.addons.social_crm_reputation.lib.stats import wilson_interval


class ReportReputation(models.AbstractModel):
    _inherit = "report.social_crm_reputation.report_reputation"

    @api.model
    def _reputation_figures(self, date_from, date_to, company, product=None):
        figures = super()._reputation_figures(date_from, date_to, company, product=product)
        figures["review_agreement"] = self._review_agreement(date_from, date_to, company, product)
        return figures

    @api.model
    def _review_agreement(self, date_from, date_to, company, product=None):
        """The engine's agreement with the stars of the period's shop reviews, beside the sentiment
        figures it produced: ``{reviews, scored, agree, accuracy, low, high}``, None without review."""
        domain = [("company_id", "=", company.id), ("review_label", "!=", False),
                  ("posted_at", ">=", date_from), ("posted_at", "<", date_to + timedelta(days=1))]
        if product:
            domain.append(("product_id", "=", product.id))
        groups = self.env["social.mention"]._read_group(domain, ["review_label", "sentiment_label"], ["__count"])
        if not groups:
            return None
        reviews = sum(count for _stars, _engine, count in groups)
        scored = sum(count for _stars, engine, count in groups if engine in ("positive", "neutral", "negative"))
        agree = sum(count for stars, engine, count in groups if stars == engine)
        low, high = wilson_interval(agree, scored)
        return {"reviews": reviews, "scored": scored, "agree": agree,
                "accuracy": agree / scored if scored else None, "low": low, "high": high}
