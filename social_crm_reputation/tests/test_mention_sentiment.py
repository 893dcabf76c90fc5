from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ReputationCommon


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestMentionSentiment(ReputationCommon):

    def test_ingested_batch_is_scored(self):
        result = self._ingest(
            self._item("s1", "I love my new Acme phone, it is GREAT!!!"),
            self._item("s2", "Acme support is terrible, worst experience ever."),
            self._item("s3", "Acme opened a shop on Main Street."),
            self._item("s4", "Je déteste ce téléphone, il ne marche jamais et le service est nul.", lang=None),
            self._item("s5", ""),
        )
        self.assertEqual(result["created"], 5, result["errors"])
        by_id = {m.external_id: m for m in result["mentions"].values()}
        self.assertEqual(by_id["s1"].sentiment_label, "positive")
        self.assertGreater(by_id["s1"].sentiment_score, 0.5)
        self.assertEqual(by_id["s2"].sentiment_label, "negative")
        self.assertLess(by_id["s2"].sentiment_score, -0.5)
        self.assertEqual(by_id["s3"].sentiment_label, "neutral")
        self.assertEqual(by_id["s4"].sentiment_label, "unscored")
        self.assertEqual(by_id["s4"].detected_lang, "fr")
        self.assertFalse(by_id["s4"].sentiment_score)
        self.assertEqual(by_id["s5"].sentiment_label, "unscored")
        self.assertEqual(by_id["s1"].detected_lang, "en")
        # the inbox card's colour: green, red, none
        self.assertEqual([by_id[key].sentiment_color for key in ("s1", "s2", "s3", "s4")], [10, 1, 0, 0])

    def test_engine_scores_and_the_thresholds_label(self):
        """The engine answers a score and a language per text; labels come from the settings'
        thresholds, whatever the engine (the method an addon overrides to plug another one)."""
        Mention = self.env["social.mention"]
        texts = ["I love my new Acme phone, it is GREAT!!!", "", "Je déteste ce téléphone, il ne marche jamais."]
        scores = Mention._sentiment_engine_scores(texts, ["en", None, None])
        self.assertEqual([(score is None, language) for score, language in scores],
                         [(False, "en"), (True, None), (True, "fr")])
        self.assertGreater(scores[0][0], 0.5)
        params = self.env["ir.config_parameter"]
        params.set_param("social_crm_reputation.positive_threshold", str(min(scores[0][0] + 0.01, 1.0)))
        self.assertEqual(Mention._sentiment_values(texts, ["en", None, None]), [
            {"sentiment_score": scores[0][0], "sentiment_label": "neutral", "detected_lang": "en"},
            {"sentiment_score": None, "sentiment_label": "unscored", "detected_lang": False},
            {"sentiment_score": None, "sentiment_label": "unscored", "detected_lang": "fr"},
        ])

    def test_created_outside_ingestion_is_scored(self):
        mention = self._mentions((self.ann, "What an awful, broken product."))
        self.assertEqual(mention.sentiment_label, "negative")

    def test_text_change_rescores(self):
        mention = self._mentions((self.ann, "What an awful, broken product."))
        mention.body = "Actually it is wonderful, I love it."
        self.assertEqual(mention.sentiment_label, "positive")

    def test_thresholds_and_rescore(self):
        mention = self._mentions((self.ann, "It is ok I guess."))
        score = mention.sentiment_score
        self.assertGreater(score, 0)
        params = self.env["ir.config_parameter"]
        params.set_param("social_crm_reputation.positive_threshold", str(score + 0.01))
        mention.action_rescore_sentiment()
        self.assertEqual(mention.sentiment_label, "neutral")
        self.assertAlmostEqual(mention.sentiment_score, score)
        params.set_param("social_crm_reputation.positive_threshold", "-0.5")
        with self.assertRaises(UserError):
            mention.action_rescore_sentiment()
        params.set_param("social_crm_reputation.positive_threshold", "a lot")
        with self.assertRaises(UserError):
            mention.action_rescore_sentiment()
        self.assertEqual(mention.sentiment_label, "neutral", "a failed rescoring keeps what was stored")

    def test_cron_scores_pending_mentions(self):
        mentions = self._mentions((self.ann, "Great service!"), (self.bob, "Terrible service!"))
        # as if stored before the addon was installed
        self.env.cr.execute("UPDATE social_mention SET sentiment_label = NULL, sentiment_score = NULL WHERE id IN %s",
                            [tuple(mentions.ids)])
        mentions.invalidate_recordset()
        self.assertEqual(mentions.mapped("sentiment_label"), [False, False])
        self.Mention._cron_score_pending_mentions(batch_size=1)
        self.assertEqual(mentions.mapped("sentiment_label"), ["positive", "negative"])
        self.assertTrue(self.ann.social_reputation_dirty)
        self.assertEqual(self.Mention.search_count([("sentiment_label", "=", False)]), 0)

    def test_demo_mentions_scored_at_install(self):
        demo_source = self.env.ref("social_crm.social_source_webhook_demo", raise_if_not_found=False)
        if not demo_source:
            self.skipTest("no demo data")
        demo = self.Mention.search([("source_id", "=", demo_source.id)])
        self.assertTrue(demo)
        self.assertFalse(demo.filtered(lambda m: not m.sentiment_label))
        self.assertEqual(set(demo.mapped("sentiment_label")), {"positive", "neutral", "negative", "unscored"})
        scored_partners = demo.partner_id.filtered("social_reputation_evidence")
        self.assertTrue(scored_partners)
        self.assertTrue(all(0 < p.social_reputation_score < 100 for p in scored_partners))
        self.assertTrue(self.env["social.reputation.daily"].search_count([("source_id", "=", demo_source.id)]))

    def test_inbox_filters(self):
        self._mentions((self.ann, "I love it"), (self.ann, "I hate it"))
        negative = self.Mention.search([("partner_id", "=", self.ann.id), ("sentiment_label", "=", "negative")])
        self.assertEqual(negative.body, "I hate it")
        view = self.env.ref("social_crm.social_mention_view_search")
        arch = self.Mention.get_views([(view.id, "search")])["views"]["search"]["arch"]
        self.assertIn('name="negative"', arch)
        self.assertIn('name="positive"', arch)


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestRoutingBySentiment(ReputationCommon):

    def test_negative_mentions_are_routed(self):
        Rule = self.env["social.routing.rule"]
        Rule.search([]).active = False
        rule = Rule.create({"name": "Angry customers", "sentiment_label": "negative", "priority": "2"})
        now = fields.Datetime.now().isoformat() + "Z"  # within the last week, for the test mode
        result = self._ingest(
            self._item("rs1", "Acme support is terrible, worst experience ever.", posted_at=now),
            self._item("rs2", "I love my new Acme phone, it is GREAT!!!", posted_at=now))
        by_id = {m.external_id: m for m in result["mentions"].values()}
        self.assertEqual((by_id["rs1"].routing_rule_id, by_id["rs1"].priority), (rule, "2"))
        self.assertEqual((by_id["rs2"].routing_rule_id.id, by_id["rs2"].priority), (False, "0"))
        matched = self.env["social.mention"].search(rule.action_test_rule()["domain"])
        self.assertIn(by_id["rs1"], matched)
        self.assertNotIn(by_id["rs2"], matched)
