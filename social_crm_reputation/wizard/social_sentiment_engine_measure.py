from odoo import api, fields, models
from odoo.exceptions import UserError


class SocialSentimentEngineMeasure(models.TransientModel):
    """Measure a sentiment engine on texts labelled by people: the team's corrections in the
    engine's language, or a labelled CSV file."""

    _name = "social.sentiment.engine.measure"
    _description = "Measure a Sentiment Engine"

    engine_id = fields.Many2one(comodel_name="social.sentiment.engine", required=True, ondelete="cascade")
    lang_name = fields.Char(related="engine_id.lang_name")
    source = fields.Selection(
        selection=[("corrections", "The team's corrections"), ("file", "A labelled file (CSV)")],
        string="Labelled Texts", required=True, default="corrections")
    correction_count = fields.Integer(compute="_compute_correction_count", string="Corrections in the Language")
    file = fields.Binary(string="Labelled File")
    file_name = fields.Char()

    @api.depends("engine_id")
    def _compute_correction_count(self):
        for wizard in self:
            wizard.correction_count = len(wizard.engine_id._correction_samples()) if wizard.engine_id else 0

    def action_measure(self):
        self.ensure_one()
        self.engine_id.check_access("write")
        engine = self.engine_id.sudo()
        if self.source == "file":
            if not self.file:
                raise UserError(self.env._("Choose the labelled file to measure on."))
            samples = engine._file_samples(self.file)
            name = self.env._("the file %(name)s", name=self.file_name or self.env._("(unnamed)"))
        else:
            samples = engine._correction_samples()
            name = self.env._("the team's corrections")
        engine._measure(samples, name)
        return {"type": "ir.actions.act_window_close"}
