from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    social_mention_id = fields.Many2one(
        comodel_name="social.mention", string="Social Mention", index="btree_not_null", ondelete="set null",
        copy=False, help="The mention this sale comes from: its buying signal, through the lead.")
    social_source_id = fields.Many2one(
        comodel_name="social.source", string="Social Source", related="social_mention_id.source_id", store=True,
        index="btree_not_null")
    social_mention_body = fields.Text(related="social_mention_id.body", string="Mention Text")
