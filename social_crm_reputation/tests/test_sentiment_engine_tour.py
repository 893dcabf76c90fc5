from odoo import fields
from odoo.tests import HttpCase, tagged

from .test_sentiment_engine import FRENCH


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestSentimentEngineTour(HttpCase):
    """In a real browser: the French engine measured on the team's corrections, then enabled."""

    def test_sentiment_engine_tour(self):
        # the demo's French corrections are undone: the tour measures on the 20 below only
        self.env["social.sentiment.correction"].search(
            [("lang", "=", "fr"), ("is_current", "=", True)]).mention_id._undo_sentiment_correction()
        source = self.env["social.source"].create({"name": "Engine tour webhook", "source_type": "webhook",
                                                   "network": "x"})
        mentions = self.env["social.mention"].create([{
            "source_id": source.id, "network": "x", "author_handle": f"engine_tour_{n}",
            "external_id": f"engine-tour-{n}", "body": text, "lang": "fr", "posted_at": fields.Datetime.now(),
        } for n, (text, _label) in enumerate(FRENCH)])
        for mention, (_text, label) in zip(mentions, FRENCH, strict=True):
            mention._correct_sentiment(label)
        french = self.env.ref("social_crm_reputation.social_sentiment_engine_vader_fr")
        self.assertEqual(french.state, "new")
        self.start_tour("/odoo/action-social_crm_reputation.social_sentiment_engine_action",
                        "social_sentiment_engine_tour", login="admin", timeout=180)
        self.assertEqual(french.state, "enabled")
        self.assertTrue(french.rescore_pending)
