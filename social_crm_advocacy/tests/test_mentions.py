from odoo.tests import tagged

from .common import AdvocacyCommon


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyMentions(AdvocacyCommon):
    """New mentions score automatically, ingested or created: forum answers to other customers, positive
    mentions."""

    def _item(self, external_id, handle, text, parent_id=None):
        return {"id": external_id, "network": "forum", "author": {"handle": handle}, "text": text,
                "posted_at": "2026-03-02T10:00:00Z", "lang": "en", "parent_id": parent_id}

    def test_forum_answers_scored_on_ingestion(self):
        self.env["social.profile"].create([
            {"partner_id": self.ann.id, "network": "forum", "handle": "ann_adv"},
            {"partner_id": self.bob.id, "network": "forum", "handle": "bob_buyer"},
        ])
        Mention = self.env["social.mention"]
        Mention._ingest(self.source, [self._item("q1", "bob_buyer", "How do I reset my phone?")])
        result = Mention._ingest(self.source, [
            self._item("a1", "ann_adv", "Hold the power button for ten seconds.", parent_id="q1"),
            self._item("a2", "bob_buyer", "Found it myself, thanks.", parent_id="q1"),
            self._item("a3", "unknown_helper", "Same here.", parent_id="q1"),
        ])
        self.assertEqual(result["created"], 3)
        actions = self.env["social.advocacy.action"].search(
            [("action_type", "=", "community_answer"), ("mention_id.source_id", "=", self.source.id)])
        self.assertEqual(actions.partner_id, self.ann, "only Ann answered another customer")
        self.assertEqual(actions.points, 15)
        self.assertEqual(actions.mention_id.external_id, "a1")

    def test_positive_mentions_scored_on_ingestion(self):
        Mention = self.env["social.mention"]
        if "sentiment_label" not in Mention._fields:
            self.skipTest("social_crm_reputation does not score mentions yet")
        self.env["social.advocacy.rule"].create(
            {"name": "Positive", "action_type": "positive_mention", "points": 10, "min_sentiment": 0.3})
        self.env["social.profile"].create({"partner_id": self.ann.id, "network": "forum", "handle": "ann_adv"})
        Mention._ingest(self.source, [
            self._item("p1", "ann_adv", "I love my Acme phone, the best purchase ever! Great battery!"),
            self._item("p2", "ann_adv", "The phone broke after a day. Terrible, awful support."),
            self._item("p3", "stranger", "I love my Acme phone, the best purchase ever! Great battery!"),
        ])
        actions = self.env["social.advocacy.action"].search(
            [("action_type", "=", "positive_mention"), ("mention_id.source_id", "=", self.source.id)])
        self.assertEqual(actions.mention_id.mapped("external_id"), ["p1"])
        self.assertEqual(actions.partner_id, self.ann)

    def test_created_mentions_scored_as_ingested_ones(self):
        question = self._mention(self.bob, "cq1")
        answers = self.env["social.mention"].create([{
            "source_id": self.source.id, "network": "forum", "external_id": external_id,
            "author_handle": partner.name, "partner_id": partner.id, "body": "Hold the power button.",
            "parent_external_id": "cq1"} for external_id, partner in (("ca1", self.ann), ("ca2", self.bob))])
        self.assertEqual(answers.parent_id, question, "replies are linked to their parent on creation")
        actions = self.env["social.advocacy.action"].search(
            [("action_type", "=", "community_answer"), ("mention_id.source_id", "=", self.source.id)])
        self.assertEqual((actions.partner_id, actions.mention_id, actions.points), (self.ann, answers[0], 15),
                         "only Ann answered another customer")

    def test_sentiment_set_by_the_team_earns_and_gives_back_points(self):
        self.env["social.advocacy.rule"].create(
            {"name": "Positive", "action_type": "positive_mention", "points": 10, "min_sentiment": 0.3})
        Action = self.env["social.advocacy.action"]
        sarcasm, praise = (self._mention(self.ann, external_id, body=body, lang="en") for external_id, body in (
            ("team-1", "The phone broke after a day. Terrible, awful support."),
            ("team-2", "I love my Acme phone, the best purchase ever!")))
        self.assertEqual(self._ledger_sum(self.ann), 10, "the engine's positive mention earned its points")
        sarcasm.action_sentiment_positive()
        self.assertEqual(Action.search([("mention_id", "=", sarcasm.id)]).points, 10,
                         "made positive by the team: it earns what a positive mention earns")
        praise.action_sentiment_negative()
        self.assertEqual(self._ledger_sum(self.ann), 10, "made negative by the team: its points are given back")
        reversal = Action.search([("reversed_action_id.mention_id", "=", praise.id)])
        self.assertEqual(reversal.points, -10)
        praise.action_sentiment_neutral()
        self.assertEqual(self._ledger_sum(self.ann), 10, "given back once")
