from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.social_crm.tests.common import SocialCrmOverviewCase

from ..lib import stats


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestOverviewReputation(SocialCrmOverviewCase):
    """The reputation's part of the Social overview: net sentiment of the last 30 days with its
    interval and representativeness, and the open alerts with their mention."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = fields.Datetime.now()
        cls.env["ir.config_parameter"].set_param("social_crm_reputation.alert_reach_threshold", 10000)
        cls.ann, cls.bob, cls.carl = cls.env["res.partner"].create(
            [{"name": "Ann Overview"}, {"name": "Bob Overview"}, {"name": "Carl Overview"}])

        def said(label, days, partner=None, **vals):
            return {"body": f"A {label} mention", "sentiment_label": label, "lang": "en",
                    "posted_at": cls.now - timedelta(days=days), "partner_id": partner.id if partner else False,
                    "author_handle": f"rep_{partner.name.split()[0].lower() if partner else 'someone'}", **vals}

        mentions = cls._create_mentions(cls.overview_source, [
            said("positive", 2, cls.ann), said("positive", 3, cls.ann), said("positive", 4, cls.ann),
            said("positive", 5, cls.bob), said("positive", 6, cls.bob), said("positive", 7, cls.carl),
            said("neutral", 8), said("neutral", 9),
            said("negative", 10, cls.bob, state="to_answer", reach=54000,
                 body="Third broken phone this year. Never again!"),
            said("negative", 11),
            said("unscored", 12, body="Très bien", lang="fr"),  # counted, not scored
            said("negative", 40, cls.carl),  # older than 30 days
            {**said("unscored", 1), "direction": "outbound", "body": "Sorry to hear that!"},  # our own reply
        ])
        cls.loud = mentions[8]
        Alert = cls.env["social.reputation.alert"]
        # raised by the pipeline: a negative mention of an author with 54,000 followers
        cls.alert_loud = Alert.search([("mention_id", "=", cls.loud.id)])
        today = fields.Date.today()
        cls.alert_spike, cls.alert_done = Alert.create([
            {"name": "5 negative of 9 mentions on Overview hook", "kind": "negative_spike",
             "date": today - timedelta(days=20), "source_id": cls.overview_source.id, "dedup_key": "overview-spike"},
            {"name": "Handled", "kind": "negative_spike", "date": today, "source_id": cls.overview_source.id,
             "state": "done", "dedup_key": "overview-done"},
        ])
        # another company's alert stays out
        Alert.create({"name": "Elsewhere", "kind": "negative_spike", "date": today,
                      "source_id": cls._create_source("Overview elsewhere").id, "dedup_key": "overview-elsewhere"})

    def test_net_sentiment_interval_by_hand(self):
        # 6 positive, 2 neutral, 2 negative: q = (6 + 2/2) / 10 = 0.7; Wilson(0.7, n=10, z=1.96) =
        # (0.3968, 0.8922), so net = 2q - 1 = 0.4 within (-0.2064, 0.7844)
        low, high = stats.net_sentiment_interval(6, 2, 2)
        self.assertAlmostEqual(low, -0.2064, places=4)
        self.assertAlmostEqual(high, 0.7844, places=4)
        self.assertEqual(stats.net_sentiment_interval(5, 0, 0)[1], 1.0, "all positive: the bound is exact")
        self.assertEqual(stats.net_sentiment_interval(0, 0, 4)[0], -1.0)
        self.assertEqual(stats.net_sentiment_interval(0, 0, 0), (-1.0, 1.0), "no mention: nothing is known")
        low, high = stats.net_sentiment_interval(600, 200, 200)
        self.assertLess(high - low, 0.2, "a hundred times the evidence, a ten times narrower interval")

    def test_reputation_figures(self):
        reputation = self.overview()["reputation"]
        self.assertEqual((reputation["mentions"], reputation["scored"]), (11, 10),
                         "the received mentions of the last 30 days; the French one is not scored")
        self.assertEqual((reputation["positive"], reputation["negative"]), (6, 2))
        self.assertAlmostEqual(reputation["net_sentiment"], 0.4)
        self.assertAlmostEqual(reputation["net_sentiment_low"], -0.2064, places=4)
        self.assertAlmostEqual(reputation["net_sentiment_high"], 0.7844, places=4)
        self.assertEqual(reputation["customers"], 3)
        self.assertTrue(reputation["anecdotal"], "3 customers are fewer than the 30 of the settings")
        self.assertEqual(reputation["min_customers"], 30)
        self.assertEqual(reputation["days"], 30)
        self.assertEqual(reputation["action"]["res_model"], "social.reputation.daily")

    def test_no_scored_mention(self):
        self.env["social.mention"].search([("source_id", "=", self.overview_source.id)]).unlink()
        reputation = self.overview()["reputation"]
        self.assertEqual(reputation["scored"], 0)
        self.assertIsNone(reputation["net_sentiment"], "no figure rather than a neutral 0")
        self.assertIsNone(reputation["net_sentiment_low"])
        self.assertTrue(reputation["anecdotal"])

    def test_open_alerts_with_their_mention(self):
        data = self.overview()
        alerts = data["alerts"]
        self.assertEqual(self.alert_loud.kind, "high_reach_negative")
        self.assertEqual(alerts["count"], 2, "the open alerts of the company")
        self.assertEqual([item["id"] for item in alerts["items"]], [self.alert_loud.id, self.alert_spike.id],
                         "the latest first")
        loud = alerts["items"][0]["mention"]
        self.assertEqual(loud["id"], self.loud.id)
        self.assertEqual(loud["body"], "Third broken phone this year. Never again!")
        self.assertEqual((loud["reach"], loud["partner"]), (54000, "Bob Overview"))
        self.assertTrue(loud["can_reply"], "waiting for an answer")
        self.assertFalse(alerts["items"][1]["mention"], "a spike has no one mention")
        [counter] = [counter for counter in data["counters"] if counter["key"] == "alerts"]
        self.assertEqual(counter["value"], 2)
        self.assertEqual(counter["action"]["res_model"], "social.reputation.alert")
        # the Reply button opens the reply composer of the alert's mention
        action = self.env["social.mention"].with_user(self.salesperson).browse(loud["id"]).action_reply()
        self.assertEqual((action["res_model"], action["context"]["default_mention_id"]),
                         ("social.mention.reply", self.loud.id))
        self.loud.state = "answered"
        self.assertFalse(self.overview()["alerts"]["items"][0]["mention"]["can_reply"], "answered already")

    def test_latest_alerts_only(self):
        self.env["social.reputation.alert"].create([{
            "name": f"Spike {day}", "kind": "negative_spike", "date": fields.Date.today() - timedelta(days=day + 20),
            "source_id": self.overview_source.id, "dedup_key": f"overview-more-{day}"} for day in range(2, 8)])
        alerts = self.overview()["alerts"]
        self.assertEqual((alerts["count"], len(alerts["items"])), (8, 5))
