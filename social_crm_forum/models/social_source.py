from odoo import api, fields, models


class SocialSource(models.Model):
    _inherit = "social.source"

    source_type = fields.Selection(selection_add=[("forum", "Website forum")], ondelete={"forum": "cascade"})
    forum_ids = fields.One2many(
        comodel_name="forum.forum", inverse_name="social_source_id", string="Forums",
        help="The forums of the website whose questions, answers and comments are mentions of this source.")

    @api.depends("source_type")
    def _compute_network(self):
        forums = self.filtered(lambda source: source.source_type == "forum")
        forums.network = "forum"
        return super(SocialSource, self - forums)._compute_network()

    def write(self, vals):
        result = super().write(vals)
        if vals.get("active"):  # listening again: what was posted meanwhile is brought in
            self.filtered(lambda source: source.source_type == "forum").forum_ids._social_sync_posts()
        return result
