from datetime import datetime, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from ..models.social_theme_daily import BASELINE_DAYS


class SocialThemeChangeWizard(models.TransientModel):
    """What changed: the themes that rose in the negative mentions of a period against the days
    before it (:meth:`~..models.social_theme_daily.SocialThemeDaily.get_changes`)."""

    _name = "social.theme.change.wizard"
    _inherit = ["social.network.mixin"]
    _description = "What Changed in Negative Mentions"

    date_from = fields.Date(string="From", required=True,
                            default=lambda self: fields.Date.context_today(self) - timedelta(days=6))
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    baseline_days = fields.Integer(string="Compared with the Days Before", required=True, default=BASELINE_DAYS,
                                   help="Days before the period that make its baseline.")
    company_id = fields.Many2one(comodel_name="res.company", required=True, default=lambda self: self.env.company,
                                 domain=lambda self: [("id", "in", self.env.companies.ids)])
    network = fields.Selection(help="Only the mentions of this network; empty: every network.")
    source_id = fields.Many2one(comodel_name="social.source", domain="[('company_id', '=', company_id)]",
                                help="Only the mentions of this source; empty: every source.")
    product_id = fields.Many2one(comodel_name="product.template",
                                 domain="[('company_id', 'in', (company_id, False))]",
                                 help="Only the mentions of this product; empty: every mention.")
    line_ids = fields.One2many(comodel_name="social.theme.change.line", inverse_name="wizard_id",
                               string="Themes", readonly=True)
    summary = fields.Char(readonly=True)

    @api.constrains("date_from", "date_to", "baseline_days")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._(
                    "The period must start (%(start)s) on or before its end (%(end)s).",
                    start=wizard.date_from, end=wizard.date_to))
            if wizard.baseline_days < 1:
                raise ValidationError(self.env._("The baseline must cover at least one day."))

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards._compute_changes()
        return wizards

    def _domain(self):
        domain = [("company_id", "=", self.company_id.id)]
        if self.network:
            domain.append(("network", "=", self.network))
        if self.source_id:
            domain.append(("source_id", "=", self.source_id.id))
        if self.product_id:
            domain.append(("product_id", "=", self.product_id.id))
        return domain

    def _compute_changes(self):
        Themes = self.env["social.theme.daily"]
        for wizard in self:
            changes = Themes.get_changes(wizard.date_from, wizard.date_to, wizard._domain(),
                                         baseline_days=wizard.baseline_days, limit=20)
            wizard.line_ids = [Command.clear()] + [Command.create({
                "sequence": rank, "term": change["term"], "count": change["count"],
                "baseline_count": change["baseline_count"], "share": change["share"],
                "baseline_share": change["baseline_share"], "log_odds": change["log_odds"], "z": change["z"],
                "significant": change["significant"],
            }) for rank, change in enumerate(changes)]
            wizard.summary = (
                self.env._("No theme stands out in the negative mentions of this period: nothing was found at least "
                           "twice, or the themes of these days are still being extracted.")
                if not changes else self.env._(
                    "%(significant)s of these themes rose significantly (z ≥ 1.96) against the %(days)s days before.",
                    significant=sum(change["significant"] for change in changes), days=wizard.baseline_days))

    @api.model
    def action_open(self):
        """The screen, its themes already ranked (the defaults of the context apply)."""
        return self.create({})._form_action()

    def action_compute(self):
        self.ensure_one()
        self._compute_changes()
        return self._form_action()

    def _form_action(self):
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
            "views": [(False, "form")], "target": "new", "name": self.env._("What Changed?"),
        }


class SocialThemeChangeLine(models.TransientModel):
    _name = "social.theme.change.line"
    _description = "Theme That Changed in Negative Mentions"
    _order = "sequence, id"

    wizard_id = fields.Many2one(comodel_name="social.theme.change.wizard", required=True, ondelete="cascade")
    sequence = fields.Integer()
    term = fields.Char(string="Theme", readonly=True)
    count = fields.Integer(string="Now", readonly=True,
                           help="Negative mentions of the period carrying the theme.")
    baseline_count = fields.Integer(string="Before", readonly=True,
                                    help="Negative mentions of the baseline carrying the theme.")
    share = fields.Float(string="Share Now", readonly=True, digits=(5, 4),
                         help="Share of the period's negative theme occurrences.")
    baseline_share = fields.Float(string="Share Before", readonly=True, digits=(5, 4))
    log_odds = fields.Float(string="Log-Odds Ratio", readonly=True, digits=(6, 2),
                            help="Weighted log-odds ratio of the theme, period against baseline, with an "
                                 "informative Dirichlet prior (Monroe, Colaresi & Quinn, 2008).")
    z = fields.Float(string="z-Score", readonly=True, digits=(6, 2),
                     help="Log-odds ratio over its standard deviation: 1.96 or more is a significant rise.")
    significant = fields.Boolean(readonly=True)

    def action_view_mentions(self):
        """The negative mentions of the period carrying this theme, with the wizard's filters."""
        self.ensure_one()
        wizard = self.wizard_id
        start = datetime.combine(wizard.date_from, datetime.min.time())
        stop = datetime.combine(wizard.date_to, datetime.min.time()) + timedelta(days=1)
        return self.env["social.mention"]._theme_mentions_action(self.term, start, stop, wizard._domain())
