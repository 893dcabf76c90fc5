from odoo import api, fields, models


class SocialSource(models.Model):
    _inherit = "social.source"

    source_type = fields.Selection(selection_add=[("shop_reviews", "Shop reviews")],
                                   ondelete={"shop_reviews": "cascade"})

    @api.depends("source_type")
    def _compute_network(self):
        reviews = self.filtered(lambda source: source.source_type == "shop_reviews")
        reviews.network = "review"
        return super(SocialSource, self - reviews)._compute_network()

    @api.model
    def _shop_review_sources(self, companies):
        """``{company: source}``: the source of each company's shop reviews, created when missing."""
        Source = self.sudo().with_context(active_test=False)
        sources = {source.company_id: source for source in Source.search(
            [("source_type", "=", "shop_reviews"), ("company_id", "in", companies.ids)], order="id")}
        missing = companies.filtered(lambda company: company not in sources)
        if missing:
            created = Source.create([{
                "name": self.env._("Shop reviews"),
                "source_type": "shop_reviews",
                "network": "review",
                "company_id": company.id,
            } for company in missing])
            sources.update(zip(missing, created, strict=True))
        return sources
