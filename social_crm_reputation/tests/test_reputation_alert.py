from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ReputationCommon


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationAlert(ReputationCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Alert = cls.env["social.reputation.alert"]
        cls.today = fields.Date.context_today(cls.env["res.users"].with_context(tz="UTC"))
        cls.source.user_id = cls.env.ref("base.user_admin")

    def _at(self, days_ago, hour=10):
        return f"{self.today - timedelta(days=days_ago)}T{hour:02d}:00:00Z"

    def _alerts(self):
        return self.Alert.search([("source_id", "=", self.source.id)])

    def test_negative_spike(self):
        # a quiet baseline: one negative mention every week for four weeks
        self._ingest(*[self._item(f"b{n}", "Acme is awful.", posted_at=self._at(7 * n)) for n in range(1, 5)])
        self.assertFalse(self._alerts())
        self._ingest(*[self._item(f"t{n}", "Acme support is terrible!", handle=f"angry{n}",
                                  posted_at=self._at(0, 8 + n)) for n in range(5)],
                     self._item("t5", "I love Acme!", handle="happy", posted_at=self._at(0, 7)))
        alert = self._alerts()
        self.assertEqual(len(alert), 1)
        self.assertEqual((alert.kind, alert.date, alert.negative_count, alert.mention_count),
                         ("negative_spike", self.today, 5, 6))
        self.assertAlmostEqual(alert.expected_count, 4 / 28, places=2)
        self.assertEqual(alert.name, "5 negative of 6 mentions on Reputation test webhook (0.1 negative expected)",
                         "the day's volume beside its negative mentions")
        self.assertLess(alert.p_value, 0.01)
        self.assertEqual(alert.activity_ids.user_id, self.env.ref("base.user_admin"))
        # more negative mentions the same day: still one alert
        self._ingest(self._item("t9", "Terrible, just terrible.", handle="angry9", posted_at=self._at(0, 20)))
        self.Alert._cron_detect_alerts()
        self.assertEqual(len(self._alerts()), 1)

    def test_no_spike_for_a_few_mentions_or_old_days(self):
        self._ingest(self._item("q1", "Acme is awful.", posted_at=self._at(0)),
                     self._item("q2", "Acme is awful!", handle="other", posted_at=self._at(0)))
        self._ingest(*[self._item(f"o{n}", "Acme is awful.", handle=f"h{n}", posted_at=self._at(40)) for n in range(6)])
        self.assertFalse(self._alerts())

    def test_high_reach_negative(self):
        self._ingest(self._item("r1", "Acme is the worst company ever.", handle="star", followers=250000,
                                posted_at=self._at(3)),
                     self._item("r2", "Acme is great.", handle="star", followers=250000, posted_at=self._at(3)),
                     self._item("r3", "Acme is the worst.", handle="nobody", followers=20, posted_at=self._at(3)))
        alert = self._alerts()
        self.assertEqual(len(alert), 1)
        self.assertEqual((alert.kind, alert.reach, alert.mention_id.external_id), ("high_reach_negative", 250000, "r1"))
        self.assertEqual(self.Alert._detect_for_mentions(alert.mention_id), self.Alert, "never twice")
        alert.action_done()
        self.assertEqual(alert.state, "done")
        self.assertFalse(alert.activity_ids)

    def test_bad_threshold(self):
        self.env["ir.config_parameter"].set_param("social_crm_reputation.alert_reach_threshold", "many")
        with self.assertRaises(UserError):
            self.Alert._detect_for_mentions(self._mentions((self.ann, "Awful.")))
