from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Internal: portal users read their own orders, not the social context behind them.
    social_mention_id = fields.Many2one(
        comodel_name="social.mention", index="btree_not_null", ondelete="set null",
        copy=False, groups="base.group_user",
        help="The mention this sale comes from: its buying signal, through the lead.")
    social_source_id = fields.Many2one(
        comodel_name="social.source", string="Social Source", related="social_mention_id.source_id", store=True,
        index="btree_not_null", groups="base.group_user")
    social_mention_body = fields.Text(related="social_mention_id.body", string="Mention Text", groups="base.group_user")
