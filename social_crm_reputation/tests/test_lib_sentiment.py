import time

from odoo.tests import BaseCase, tagged

from odoo.addons.social_crm.tools.language import primary_language
from odoo.addons.social_crm_reputation.lib import sentiment


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestPrepareText(BaseCase):
    def test_links_and_handles_are_dropped(self):
        self.assertEqual(
            sentiment.prepare_text("Love it @acme_fan https://t.co/x1 www.acme.com/p?q=1 thanks u/bob /u/ann"),
            "Love it thanks")
        self.assertEqual(sentiment.prepare_text("cc @ann@mastodon.social and @bob.bsky.social."), "cc and .")

    def test_emails_are_not_handles(self):
        self.assertEqual(sentiment.prepare_text("write to ann@example.com"), "write to ann@example.com")

    def test_hashtags_keep_their_words(self):
        self.assertEqual(sentiment.prepare_text("#NotHappy with #acme #FAIL"), "Not Happy with acme FAIL")

    def test_html_is_removed_and_entities_unescaped(self):
        self.assertEqual(
            sentiment.prepare_text("<p>I &lt;3 it &amp; <b>love</b>&nbsp;it</p><script>x</script>"),
            "I <3 it & love it x")

    def test_what_vader_uses_is_kept(self):
        text = "NOT good!!! :-( 😡 very, VERY bad?"
        self.assertEqual(sentiment.prepare_text(text), text)

    def test_whitespace_is_collapsed(self):
        self.assertEqual(sentiment.prepare_text("  so\n\n  bad\t "), "so bad")
        self.assertEqual(sentiment.prepare_text(None), "")

    def test_huge_text_is_cheap(self):
        huge = "The support was awful <b>and</b> slow @acme https://acme.com. " * 170_000  # > 10 MB
        started = time.perf_counter()
        prepared = sentiment.prepare_text(huge)
        elapsed = time.perf_counter() - started
        self.assertEqual(len(prepared), sentiment.MAX_CHARS)
        self.assertLess(elapsed, 2.0)  # about 0.05 s: only the first RAW_MAX_CHARS are read


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestDetectLanguage(BaseCase):
    def test_languages(self):
        self.assertEqual(sentiment.detect_language("The delivery was late and nobody answered my call"), "en")
        self.assertEqual(sentiment.detect_language("Le service client est vraiment nul, je suis très déçu."), "fr")
        self.assertEqual(sentiment.detect_language("El servicio es terrible, estoy muy decepcionado."), "es")
        self.assertEqual(sentiment.detect_language("Der Kundenservice ist schlecht, ich bin enttäuscht."), "de")

    def test_too_short_to_tell(self):
        self.assertIsNone(sentiment.detect_language("😍😍🔥"))
        self.assertIsNone(sentiment.detect_language("Service nul"))

    def test_primary_language(self):
        self.assertEqual(primary_language("en-GB"), "en")
        self.assertEqual(primary_language("FR_ca"), "fr")
        self.assertEqual(primary_language(" fr "), "fr")
        for undetermined in (None, False, "", "und", "zxx", "qme", "qht"):
            self.assertIsNone(primary_language(undetermined), undetermined)

    def test_given_language_wins_over_detection(self):
        french, undetermined, unknown = sentiment.Scorer().score_many(
            ["I love it, it is wonderful!"] * 3, ["fr-FR", "qme", None])
        self.assertEqual(french, (None, "unscored", "fr"), "a French tag keeps VADER out")
        self.assertEqual(undetermined, unknown, "an undetermined tag lets the text be detected")
        self.assertEqual(unknown[1:], ("positive", "en"))


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestScorer(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scorer = sentiment.Scorer()

    def score(self, text, **kwargs):
        return self.scorer.score_many([text], **kwargs)[0]

    def test_negation(self):
        self.assertGreater(self.score("good")[0], 0)
        self.assertLess(self.score("not good")[0], 0)
        self.assertEqual(self.score("The update is not good")[1], "negative")

    def test_intensifiers_and_capitals(self):
        self.assertGreater(self.score("GREAT!!!")[0], self.score("great")[0])
        self.assertGreater(self.score("extremely good")[0], self.score("good")[0])
        self.assertGreater(self.score("The support is GREAT")[0], self.score("The support is great")[0])

    def test_emoji(self):
        angry, loving = self.scorer.score_many(["😡", "😍"])
        self.assertEqual(angry[1:], ("negative", None))
        self.assertLess(angry[0], 0)
        self.assertEqual(loving[1:], ("positive", None))
        self.assertGreater(loving[0], 0)
        self.assertEqual(self.score("💔👎")[1], "negative")
        self.assertEqual(self.score("Delivery was late again 😡")[1], "negative")

    def test_links_and_handles_do_not_change_the_score(self):
        plain = self.score("Loving the new phone, works great")
        noisy = self.score("@acme Loving the new phone, works great https://t.co/abc #acme u/bob")
        self.assertEqual(noisy[0], plain[0])
        self.assertEqual(self.score("@Awful_Reviews https://bad.example/terrible-hate")[1], "unscored")

    def test_html_entities(self):
        self.assertEqual(self.score("I &lt;3 my new phone")[1], "positive")
        self.assertEqual(self.score("<p>Awful service</p>")[0], self.score("Awful service")[0])

    def test_huge_text(self):
        huge = "This product is great but the support is awful. " * 220_000  # > 10 MB
        started = time.perf_counter()
        score, label, language = self.score(huge)
        self.assertLess(time.perf_counter() - started, 2.0)  # about 0.05 s
        self.assertIsNotNone(score)
        self.assertEqual(language, "en")

    def test_empty_texts_are_unscored(self):
        for text in ("", None, "   ", "<p></p>", "https://acme.com @acme"):
            self.assertEqual(self.score(text), (None, "unscored", None), text)

    def test_other_languages_are_unscored_with_their_language(self):
        results = self.scorer.score_many([
            "Le service client est vraiment nul, je suis très déçu de mon achat.",
            "El servicio al cliente es terrible, estoy muy decepcionado con la compra.",
            "Der Kundenservice ist wirklich schlecht, ich bin sehr enttäuscht.",
        ])
        self.assertEqual(results, [(None, "unscored", "fr"), (None, "unscored", "es"), (None, "unscored", "de")])

    def test_given_language_wins(self):
        english = "This phone is great, I love it"
        results = self.scorer.score_many([english, english, english, english], langs=["fr", "en-GB", None, "und"])
        self.assertEqual(results[0], (None, "unscored", "fr"))
        self.assertEqual([r[1:] for r in results[1:]], [("positive", "en")] * 3)
        with self.assertRaises(ValueError):
            self.scorer.score_many([english], langs=[])

    def test_thresholds(self):
        score = self.score("good")[0]  # 0.4404
        self.assertEqual(self.score("good", positive=0.5)[1], "neutral")
        self.assertEqual(self.score("good", positive=0.5, negative=0.45)[1], "negative")
        self.assertEqual(self.score("good", positive=score)[1], "positive")  # bounds are inclusive
        self.assertEqual(self.score("The box is blue")[1], "neutral")
        with self.assertRaises(ValueError):
            self.scorer.score_many(["good"], positive=-0.1, negative=0.1)
