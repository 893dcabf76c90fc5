from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Close the open merge suggestions that this merge decides."""
        partners = self.env["res.partner"].browse(partner_ids)
        suggestions = self.env["social.merge.suggestion"].sudo().search([
            ("state", "=", "open"), ("partner_a_id", "in", partners.ids), ("partner_b_id", "in", partners.ids)])
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        # sudo: the user could merge the contacts, closing the suggestions about them follows from it
        suggestions.exists().write({"state": "merged"})
        return result
