from odoo import api, models


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
        figures it produced: ``{reviews, scored, agree, accuracy, low, high}``, None without review.
        The figures of the Sentiment vs. Stars report, summed over the period."""
        domain = [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)]
        if product:
            domain.append(("product_id", "=", product.id))
        [(reviews, scored, agree, accuracy, low, high)] = self.env["social.review.agreement"]._read_group(
            domain, [], ["review_count:sum", "scored_count:sum", "agree_count:sum",
                         "accuracy:avg", "accuracy_low:avg", "accuracy_high:avg"])
        if not reviews:
            return None
        # counts, as integers (a sum of counts comes back from PostgreSQL as a number with decimals)
        return {"reviews": int(reviews), "scored": int(scored or 0), "agree": int(agree or 0), "accuracy": accuracy,
                "low": low, "high": high}
