from odoo import fields, models


class SocialSource(models.Model):
    _inherit = "social.source"

    campaign_id = fields.Many2one(
        comodel_name="utm.campaign", index="btree_not_null", ondelete="set null", tracking=True,
        help="Marketing campaign this stream listens for: its mentions are counted for this campaign in the "
             "brand reputation.")
    product_id = fields.Many2one(
        comodel_name="product.template", index="btree_not_null", ondelete="set null",
        tracking=True, domain="[('company_id', 'in', (company_id, False))]",
        help="Product this stream is about (e.g. a search for the product's name): its mentions count for this "
             "product whatever their text. Empty: the product is found from the products' social keywords.")
