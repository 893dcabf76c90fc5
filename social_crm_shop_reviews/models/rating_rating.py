from odoo import api, models

# what a review's mention is made of (is_internal follows the message it is linked to)
REVIEW_FIELDS = frozenset({"rating", "feedback", "consumed", "partner_id", "message_id", "is_internal",
                           "res_model_id", "res_id"})


class RatingRating(models.Model):
    _inherit = "rating.rating"

    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        self.env["social.mention"]._social_sync_shop_reviews(ratings)
        return ratings

    def write(self, vals):
        result = super().write(vals)
        if REVIEW_FIELDS & set(vals):
            self.env["social.mention"]._social_sync_shop_reviews(self)
        return result

    def unlink(self):
        # the review is gone: so is its mention, through the ORM (figures that counted it are updated)
        if self:
            self.env["social.mention"].sudo().search([("review_rating_id", "in", self.ids)]).unlink()
        return super().unlink()
