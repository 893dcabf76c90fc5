from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    social_brand_keywords = fields.Char(
        string="Own Brand Keywords",
        help="Comma-separated words, phrases or hashtags naming the company's own brand, e.g. \"acme, #acme\". "
             "In the share of voice, a mention is the company's when it names none of its competitors, or when "
             "it names one of these (a mention comparing both counts for both). Empty: only the mentions "
             "naming no competitor are the company's.")

    def write(self, vals):
        result = super().write(vals)
        if "social_brand_keywords" in vals or ("name" in vals and self.env["social.competitor"].sudo().search_count(
                [("company_id", "in", self.ids)], limit=1)):
            self.env["social.competitor"]._mark_series_stale()  # the share of voice counts again
        return result
