from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """The merged contact's shop reviews are checked again: their author now has the merged
        contacts' orders (a verified buyer under one name may now be one under the other)."""
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        ratings = self.env["rating.rating"].sudo().search(
            [("partner_id", "in", partner_ids), ("res_model", "=", "product.template")])
        self.env["social.mention"]._social_sync_shop_reviews(ratings)
        return result
