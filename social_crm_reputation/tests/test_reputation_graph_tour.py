from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationGraphTour(HttpCase):
    """In a real browser: the comparison of networks is drawn as bars, each with its mentions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = source = cls.env["social.source"].create({"name": "Graph tour webhook", "source_type": "webhook",
                                                  "network": "x"})
        now = fields.Datetime.now()
        texts = [("x", "I love Acme, wonderful!"), ("x", "Acme is great, the best!"), ("x", "Acme is awful."),
                 ("mastodon", "Acme is terrible, I hate it."), ("mastodon", "Acme est nul.")]
        cls.env["social.mention"]._ingest(source, [{
            "id": f"graph-tour-{n}", "network": network, "lang": "fr" if text.endswith("nul.") else "en",
            "author": {"handle": f"graph_tour_{n}"}, "text": text, "posted_at": now.isoformat() + "Z",
        } for n, (network, text) in enumerate(texts)])
        comparison = cls.env.ref("social_crm_reputation.social_reputation_daily_action_comparison")
        # the comparison of this source's mentions only (the demo's are there too)
        # the same for the trend
        cls.trend = cls.env.ref("social_crm_reputation.social_reputation_daily_action").copy({
            "domain": [("source_id", "=", source.id)], "view_mode": "graph",
            "view_id": cls.env.ref("social_crm_reputation.social_reputation_daily_view_graph").id})
        cls.action = comparison.copy({
            "domain": [("source_id", "=", source.id)], "view_mode": "graph",
            "view_id": cls.env.ref("social_crm_reputation.social_reputation_daily_view_graph_comparison").id})

    def test_graph_tour(self):
        mentions = self.env["social.mention"].search([("source_id", "=", self.source.id)])
        self.assertEqual(sorted(mentions.mapped("sentiment_label")),
                         ["negative", "negative", "positive", "positive", "unscored"])
        groups = self.env["social.reputation.daily"]._read_group(
            [("source_id", "=", self.source.id)], ["network"], ["mention_count:sum", "net_sentiment:avg"],
            order="net_sentiment:avg desc")
        self.assertEqual([(network, count) for network, count, _net in groups], [("x", 3), ("mastodon", 2)])
        self.assertAlmostEqual(groups[0][2], 1 / 3)
        self.assertAlmostEqual(groups[1][2], -1.0)
        self.start_tour(f"/odoo/action-{self.action.id}", "social_reputation_graph_tour", login="admin", timeout=180)

    def test_trend_tour(self):
        self.start_tour(f"/odoo/action-{self.trend.id}", "social_reputation_trend_tour", login="admin", timeout=180)
