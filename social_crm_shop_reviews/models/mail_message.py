from odoo import models


class MailMessage(models.Model):
    _inherit = "mail.message"

    def write(self, vals):
        result = super().write(vals)
        if "body" in vals or "is_internal" in vals:  # a review edited on the site, or hidden
            ratings = self.sudo().rating_ids.filtered(lambda rating: rating.res_model == "product.template")
            if ratings:
                self.env["social.mention"]._social_sync_shop_reviews(ratings)
        return result

    def unlink(self):
        # deleting a review's message deletes its rating in the database (ondelete cascade), past
        # the ORM: its mention is removed here first
        ratings = self.sudo().rating_ids.filtered(lambda rating: rating.res_model == "product.template")
        if ratings:
            self.env["social.mention"].sudo().search([("review_rating_id", "in", ratings.ids)]).unlink()
        return super().unlink()
