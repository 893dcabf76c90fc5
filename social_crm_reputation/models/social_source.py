from odoo import fields, models


class SocialSource(models.Model):
    _inherit = "social.source"

    campaign_id = fields.Many2one(
        comodel_name="utm.campaign", string="Campaign", index="btree_not_null", ondelete="set null", tracking=True,
        help="Marketing campaign this stream listens for: its mentions are counted for this campaign in the "
             "brand reputation.")
