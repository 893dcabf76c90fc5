"""Competitor brands, each a set of keywords: the company's voice against theirs."""
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import keywords

SERIES_FIELDS = {"name", "keywords", "active", "company_id"}
COMPETITORS_STALE_PARAM = "social_crm_reputation.competitor_series_stale"


class SocialCompetitor(models.Model):
    """A competitor brand: the mentions naming one of its keywords (whole words, any case) are its
    voice in the company's stream. Mentions naming no competitor, or naming the company's own brand
    keywords (Settings), are the company's. Share of voice and net sentiment of each brand are
    kept by day and network (:class:`~.social_competitor_daily.SocialCompetitorDaily`)."""

    _name = "social.competitor"
    _description = "Competitor"
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    keywords = fields.Char(
        required=True,
        help="Comma-separated words, phrases or hashtags naming this competitor in a mention, e.g. "
             "\"globex, globex corp, #globex\". Matched as whole words whatever the case; a mention naming "
             "two competitors counts for both.")
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True,
                                 default=lambda self: self.env.company)
    color = fields.Integer()

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "This competitor is already defined in this company."),
    ]

    @api.constrains("keywords")
    def _check_keywords(self):
        for competitor in self:
            if not keywords.split_keywords(competitor.keywords):
                raise ValidationError(self.env._("Give %(competitor)s at least one keyword.",
                                                 competitor=competitor.name))

    @api.model_create_multi
    def create(self, vals_list):
        competitors = super().create(vals_list)
        self._mark_series_stale()
        return competitors

    def write(self, vals):
        result = super().write(vals)
        if SERIES_FIELDS & set(vals):
            self._mark_series_stale()
        return result

    def unlink(self):
        result = super().unlink()
        self._mark_series_stale()
        return result

    @api.model
    def _mark_series_stale(self):
        """The competitors changed: the series' job rebuilds the competitor series of every day."""
        self.env["social.competitor.daily"]._mark_stale()

    def action_view_series(self):
        """Smart button: the share of voice of the competitor's company against its competitors."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("social_crm_reputation.social_competitor_daily_action")
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action
