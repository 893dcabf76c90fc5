"""The product a mention is about: the source's product, else the longest product keyword in its text."""
from odoo import api, fields, models
from odoo.tools import SQL, split_every

DETECT_BATCH = 1000


class SocialMention(models.Model):
    _inherit = "social.mention"

    product_id = fields.Many2one(
        comodel_name="product.template", string="Product", index="btree_not_null", ondelete="set null",
        domain="[('company_id', 'in', (company_id, False))]",
        help="Product the mention is about: the product of its source, else the product whose social keyword "
             "is the longest found in the text. Counted for this product in the brand reputation.")

    @api.model
    def _add_product_vals(self, vals_list):
        """Complete ``product_id`` of mention values in batch: one read of the sources, then the
        company's cached keyword pattern (``product.template._social_keyword_matcher``). Values given
        explicitly are kept."""
        todo = [vals for vals in vals_list if "product_id" not in vals]
        if not todo:
            return
        # sudo: the source's product and company are needed whoever receives the mention
        sources = self.env["social.source"].sudo().browse({vals["source_id"] for vals in todo if vals.get("source_id")})
        sources.fetch(["product_id", "company_id"])
        source_of = {source.id: (source.product_id.id, source.company_id.id) for source in sources}
        to_match = []
        for vals in todo:
            product_id, company_id = source_of.get(vals.get("source_id"), (False, False))
            vals["product_id"] = product_id
            if not product_id and vals.get("body"):
                to_match.append((vals, vals.get("company_id") or company_id))
        products = self.env["product.template"]._social_products_of_texts(
            [(company_id, vals["body"]) for vals, company_id in to_match])
        for (vals, _company_id), product_id in zip(to_match, products):
            vals["product_id"] = product_id

    def write(self, vals):
        result = super().write(vals)
        if "product_id" in vals:
            self.env["social.reputation.daily"]._refresh_mentions_days(self)
        return result

    def _detect_products(self):
        """Set the product of the mentions of ``self`` that have none (stored before the product got
        keywords, or before the addon), one UPDATE per batch. Return the mentions given a product;
        their days of the brand reputation are left to the caller to rebuild."""
        self.flush_recordset(["product_id", "body", "source_id", "company_id"])
        detected = []
        for ids in split_every(DETECT_BATCH, self.ids):
            rows = self.env.execute_query(SQL(
                "SELECT id, source_id, company_id, body FROM social_mention WHERE id = ANY(%s) AND product_id IS NULL",
                list(ids)))
            vals_list = [{"source_id": source_id, "company_id": company_id, "body": body}
                         for _id, source_id, company_id, body in rows]
            self._add_product_vals(vals_list)
            found = [(row[0], vals["product_id"]) for row, vals in zip(rows, vals_list) if vals["product_id"]]
            if not found:
                continue
            self.env.execute_query(SQL("""
                UPDATE social_mention m
                   SET product_id = v.product_id, write_date = (now() AT TIME ZONE 'UTC'), write_uid = %(uid)s
                  FROM unnest(%(ids)s::int[], %(products)s::int[]) AS v(id, product_id)
                 WHERE m.id = v.id
            """, uid=self.env.uid, ids=[mention_id for mention_id, _product in found],
                products=[product_id for _mention, product_id in found]))
            detected += [mention_id for mention_id, _product in found]
        mentions = self.browse(detected)
        mentions.invalidate_recordset(["product_id", "write_date", "write_uid"])
        return mentions

    def action_detect_products(self):
        """List action "Detect products": give the selected mentions without a product the product of
        their source or of their text (after keywords were added to products, for instance)."""
        self.check_access("write")
        mentions = self._detect_products()
        self.env["social.reputation.daily"]._refresh_mentions_days(mentions)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s of %(total)s mentions got a product.",
                                      count=len(mentions), total=len(self)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
