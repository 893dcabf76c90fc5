"""Social keywords of products: which product a mention is about."""
from odoo import api, fields, models, tools

from ..lib import keywords

MATCHER_FIELDS = {"social_keywords", "active", "company_id"}


class ProductTemplate(models.Model):
    _inherit = "product.template"

    social_keywords = fields.Char(
        
        help="Comma-separated words, phrases or hashtags meaning this product in a mention, e.g. "
             "\"aurora lamp, #auroralamp\". Matched as whole words whatever the case; when a text holds "
             "keywords of several products, the longest keyword wins. A source's own product comes first.")

    @api.model_create_multi
    def create(self, vals_list):
        templates = super().create(vals_list)
        if any(vals.get("social_keywords") for vals in vals_list):
            self.env.registry.clear_cache()  # the keyword matchers (_social_keyword_matcher)
        return templates

    def write(self, vals):
        # before the write: keywords being removed, or products with keywords being archived or moved
        stale = "social_keywords" in vals or (MATCHER_FIELDS & set(vals) and any(self.mapped("social_keywords")))
        result = super().write(vals)
        if stale:
            self.env.registry.clear_cache()
        return result

    def unlink(self):
        stale = any(self.mapped("social_keywords"))
        result = super().unlink()
        if stale:
            self.env.registry.clear_cache()
        return result

    @api.model
    @tools.ormcache("company_id")
    def _social_keyword_matcher(self, company_id):
        """``(pattern, {keyword: product template id})`` of the active products of ``company_id`` and of
        the shared ones, built once per company and process and dropped whenever keywords change.

        A keyword given to several products goes to the company's own product, then to the oldest.
        """
        # sudo: matching is not a read by the user; the company filter is explicit
        templates = self.sudo().search_fetch(
            [("social_keywords", "!=", False), ("company_id", "in", [company_id, False])],
            ["social_keywords", "company_id"], order="id")
        product_of = {}
        for template in templates.sorted(lambda t: not t.company_id):
            for keyword in keywords.split_keywords(template.social_keywords):
                product_of.setdefault(keyword, template.id)
        return keywords.compile_keywords(product_of), product_of

    @api.model
    def _social_products_of_texts(self, company_texts):
        """Product template id (or False) of each ``(company id, text)`` of ``company_texts``, in order."""
        matchers = {}
        products = []
        for company_id, text in company_texts:
            if company_id not in matchers:
                matchers[company_id] = self._social_keyword_matcher(company_id)
            pattern, product_of = matchers[company_id]
            products.append(product_of.get(keywords.longest_keyword(pattern, text), False))
        return products
