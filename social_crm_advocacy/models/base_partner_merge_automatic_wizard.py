from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        """Referral codes are unique: Odoo's merge copies the merged contacts' values onto the one
        kept, which would write a second copy of a code. The merged contacts' codes are cleared
        first; the contact kept takes one of them when it had none, so that codes already given to
        friends keep working."""
        partners = self.env["res.partner"].browse(partner_ids).sudo()
        dst = (dst_partner if dst_partner in partners else self._get_ordered_partner(partners.ids)[-1:]).sudo()
        codes = [code for code in (partners - dst).mapped("advocacy_referral_code") if code]
        (partners - dst).filtered("advocacy_referral_code").write({"advocacy_referral_code": False})
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        if codes and dst.exists() and not dst.advocacy_referral_code:
            dst.advocacy_referral_code = codes[0]
        return result
