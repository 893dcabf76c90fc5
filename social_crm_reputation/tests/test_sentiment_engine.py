import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.social_crm_reputation.lib import sentiment, stats

from .common import VERY_POSITIVE, ReputationCommon

FRENCH = [
    ("J'adore ce téléphone, il est génial !", "positive"),
    ("Excellent service, merci beaucoup à toute l'équipe.", "positive"),
    ("Très bonne qualité, je suis ravi de mon achat.", "positive"),
    ("Livraison rapide et produit parfait, bravo !", "positive"),
    ("Le support a été formidable et très aimable.", "positive"),
    ("C'est magnifique, je recommande vivement.", "positive"),
    ("Merci pour votre aide, vous êtes les meilleurs.", "positive"),
    ("Service client nul, je suis très déçu.", "negative"),
    ("Produit horrible, une vraie arnaque.", "negative"),
    ("C'est le pire achat de ma vie, quelle honte.", "negative"),
    ("Je déteste cette mise à jour, tout est cassé.", "negative"),
    ("Livraison en retard et colis abîmé, c'est inadmissible.", "negative"),
    ("Application lente et mauvaise, je suis furieux.", "negative"),
    ("Remboursement refusé, c'est scandaleux.", "negative"),
    ("La commande est arrivée mardi.", "neutral"),
    ("Le magasin ouvre à neuf heures.", "neutral"),
    ("J'ai acheté le modèle bleu la semaine dernière.", "neutral"),
    ("Le colis contient deux câbles et un chargeur.", "neutral"),
    ("Quelle est la taille de l'écran ?", "neutral"),
    # irony: the lexicon reads "super" and "merci", people read a complaint
    ("Super, encore une panne, merci pour rien.", "negative"),
]
"""Labelled by hand for these tests: the French engine gives every label but the last one."""
FRENCH_LATER = "Quelle catastrophe, l'écran est mauvais et triste."
PORTUGUESE = "Atendimento horrível, estou muito irritado com a loja."


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestSentimentEngine(ReputationCommon):
    """Engines for other languages: nothing scores a language until its engine is measured on
    texts people labelled and is good enough; enabled, it scores the company's mentions of the
    language, old ones included; disabled, they are unscored again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._source_of_own_company("Sentiment engines")
        cls.Engine = cls.env["social.sentiment.engine"]
        cls.french, cls.portuguese = cls.Engine.create([
            {"engine": "vader_fr", "company_id": cls.company.id},
            {"engine": "leia_br", "company_id": cls.company.id}])
        cls.manager = new_test_user(cls.env, login="engine_manager", groups="social_crm.social_crm_group_manager",
                                    company_id=cls.company.id, company_ids=[cls.company.id])
        cls.agent = new_test_user(cls.env, login="engine_agent", groups="social_crm.social_crm_group_user",
                                  company_id=cls.company.id, company_ids=[cls.company.id])

    def _french_mentions(self):
        mentions = self._create_mentions(self.source, [
            {"body": text, "lang": "fr", "posted_at": self.now} for text, _label in FRENCH])
        for mention, (_text, label) in zip(mentions, FRENCH, strict=True):
            mention.with_user(self.agent)._correct_sentiment(label)
        return mentions

    def _measure(self, engine, **vals):
        wizard = self.env["social.sentiment.engine.measure"].with_user(self.manager).create(
            {"engine_id": engine.id, **vals})
        wizard.action_measure()

    def _csv(self, text):
        return base64.b64encode(text.encode())

    def test_a_language_without_an_enabled_engine_stays_unscored(self):
        self.assertEqual(self.french.lang, "fr")
        self.assertEqual(self.portuguese.lang, "pt")
        self.assertTrue(self.french.installed)
        french, undetected, english = self._create_mentions(self.source, [
            {"body": FRENCH_LATER, "lang": "fr", "posted_at": self.now},
            {"body": "Je suis très déçu par le service client de cette boutique.", "posted_at": self.now},
            {"body": VERY_POSITIVE, "lang": "en", "posted_at": self.now}])
        self.assertEqual((french.sentiment_label, french.detected_lang), ("unscored", "fr"))
        self.assertEqual((undetected.sentiment_label, undetected.detected_lang), ("unscored", "fr"))
        self.assertEqual(english.sentiment_label, "positive")
        with self.assertRaisesRegex(UserError, "only once measured on at least 20 labelled texts"):
            self.french.with_user(self.manager).action_enable()

    def test_measured_on_the_team_corrections_then_enabled_it_scores_old_and_new_mentions(self):
        before = self._create_mentions(self.source, [{"body": FRENCH_LATER, "lang": "fr", "posted_at": self.now}])
        portuguese = self._create_mentions(self.source, [{"body": PORTUGUESE, "lang": "pt", "posted_at": self.now}])
        other_company = self.env["res.company"].create({"name": "Engines elsewhere"})
        elsewhere = self._create_mentions(self._create_source("Elsewhere", company_id=other_company.id), [
            {"body": FRENCH_LATER, "lang": "fr", "posted_at": self.now}])
        corrected = self._french_mentions()
        wizard = self.env["social.sentiment.engine.measure"].with_user(self.manager).create(
            {"engine_id": self.french.id})
        self.assertEqual(wizard.correction_count, 20)
        wizard.action_measure()

        self.assertEqual(self.french.state, "measured")
        self.assertEqual((self.french.measured_count, self.french.agree_count), (20, 19))
        self.assertAlmostEqual(self.french.accuracy, 0.95)
        self.assertEqual((self.french.accuracy_low, self.french.accuracy_high),
                         tuple(round(bound, 3) for bound in stats.wilson_interval(19, 20)))  # stored to 3 digits
        self.assertEqual(self.french.measured_by_id, self.manager)
        self.assertIn("corrections", self.french.measured_source)
        self.assertIn("<td class=\"text-end\">7</td>", str(self.french.confusion_html))
        self.assertTrue(self.french.can_enable)
        self.assertEqual(before.sentiment_label, "unscored")  # measured is not enabled

        self.french.with_user(self.manager).action_enable()
        self.assertTrue(self.french.rescore_pending)
        self.Engine._cron_rescore_languages()
        self.assertFalse(self.french.rescore_pending)
        self.assertEqual(before.sentiment_label, "negative")
        self.assertLess(before.sentiment_score, -0.5)
        # the team's labels stay; the engine's verdict goes beside them
        self.assertEqual(corrected.mapped("sentiment_label"), [label for _text, label in FRENCH])
        self.assertEqual(corrected[-1].sentiment_engine_label, "positive")
        self.assertEqual(portuguese.sentiment_label, "unscored")  # its engine is not enabled
        self.assertEqual(elsewhere.sentiment_label, "unscored")  # nor is French in the other company

        self._ingest(self._item("engine-fr-1", "Je déteste ce téléphone, il est horrible.", lang="fr"))
        new = self.Mention.search([("source_id", "=", self.source.id), ("external_id", "=", "engine-fr-1")])
        self.assertEqual((new.sentiment_label, new.detected_lang), ("negative", "fr"))

        self.french.with_user(self.manager).action_disable()
        self.Engine._cron_rescore_languages()
        self.assertEqual(before.sentiment_label, "unscored")
        self.assertEqual(new.sentiment_label, "unscored")
        self.assertEqual(corrected[0].sentiment_label, "positive")  # the team's label stays
        self.assertEqual(corrected[0].sentiment_engine_label, "unscored")

    def test_rescoring_goes_by_steps(self):
        mentions = self._create_mentions(self.source, [
            {"body": text, "lang": "fr", "posted_at": self.now} for text, _label in FRENCH[:5]])
        self._measure(self.french, source="file", file=self._csv(
            "text,label\n" + "".join(f'"{text}",{label}\n' for text, label in FRENCH)))
        self.french.with_user(self.manager).action_enable()
        self.assertEqual(self.Engine._cron_rescore_languages(batch_size=3), 3)
        self.assertTrue(self.french.rescore_pending)
        self.assertEqual(mentions.mapped("sentiment_label").count("unscored"), 2)
        self.assertEqual(self.Engine._cron_rescore_languages(batch_size=3), 2)
        self.assertFalse(self.french.rescore_pending)
        self.assertEqual(mentions.mapped("sentiment_label"), [label for _text, label in FRENCH[:5]])

    def test_measured_on_a_labelled_file(self):
        rows = "".join(f'"{text}";{label.upper()[:3]}\n' for text, label in FRENCH)
        self._measure(self.french, source="file", file=self._csv("Text;Label\n" + rows), file_name="fr.csv")
        self.assertEqual((self.french.measured_count, self.french.agree_count), (20, 19))
        self.assertIn("fr.csv", self.french.measured_source)
        bad = [
            ("text,label\nTrès bien,positive\nBof,maybe\n", "Line 3 .* the label 'maybe'"),
            ("text,label\nTrès bien,positive\n,negative\n", "Line 3 .* no text"),
            ("texte,étiquette\nTrès bien,positive\n", "needs a header with a \"text\" and a \"label\" column"),
            ("text,label\n", "has no rows"),
        ]
        for content, message in bad:
            with self.subTest(content=content), self.assertRaisesRegex(UserError, message):
                self._measure(self.french, source="file", file=self._csv(content))
        with self.assertRaisesRegex(UserError, "UTF-8"):
            self._measure(self.french, source="file", file=base64.b64encode("text,label\nTrès,positive\n".encode(
                "utf-16")))
        with self.assertRaisesRegex(UserError, "Choose the labelled file"):
            self._measure(self.french, source="file")
        self.assertEqual(self.french.measured_count, 20)  # a refused file leaves the last measurement

    def test_not_enabled_below_the_bar_and_disabled_when_measured_below_it(self):
        self._measure(self.french, source="file", file=self._csv(
            "text,label\n" + "".join(f'"{text}",{label}\n' for text, label in FRENCH[:10])))
        self.assertFalse(self.french.can_enable)  # 10 texts, below the 20 of the settings
        with self.assertRaisesRegex(UserError, "measured: 10 texts, 100.0 %"):
            self.french.with_user(self.manager).action_enable()
        full = self._csv("text,label\n" + "".join(f'"{text}",{label}\n' for text, label in FRENCH))
        self._measure(self.french, source="file", file=full)
        self.french.with_user(self.manager).action_enable()
        self.env["ir.config_parameter"].set_param("social_crm_reputation.agreement_low_below", "0.99")
        self._measure(self.french, source="file", file=full)
        self.assertEqual(self.french.state, "measured")  # 95 % is below the new bar: it stops scoring
        self.assertTrue(self.french.rescore_pending)

    def test_only_managers_measure_and_enable(self):
        with self.assertRaises(AccessError):
            self.env["social.sentiment.engine.measure"].with_user(self.agent).create({"engine_id": self.french.id})
        with self.assertRaises(AccessError):
            self.french.with_user(self.agent).action_enable()
        self.assertEqual(self.french.with_user(self.agent).state, "new")  # agents see the engines

    def test_the_scorer_reads_a_language_only_with_its_analyzer(self):
        scorer = sentiment.Scorer()
        text = "Produit horrible, une vraie arnaque."
        [(score, label, language)] = scorer.score_many([text], ["fr"])
        self.assertEqual((score, label, language), (None, "unscored", "fr"))
        analyzer = sentiment.load_analyzer("vaderSentiment_fr.vaderSentiment")
        self.assertIs(analyzer, sentiment.load_analyzer("vaderSentiment_fr.vaderSentiment"))  # built once
        [(score, label, language)] = scorer.score_many([text], ["fr"], analyzers={"fr": analyzer})
        self.assertEqual((label, language), ("negative", "fr"))
        self.assertAlmostEqual(score, analyzer.polarity_scores(text)["compound"])
        [(_score, label, _language)] = scorer.score_many([text], ["pt"], analyzers={"fr": analyzer})
        self.assertEqual(label, "unscored")
        with self.assertRaises(ImportError):
            sentiment.load_analyzer("no_such_sentiment_engine")
