from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

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

    def test_alerts_show_the_mentions_text(self):
        self._ingest(self._item("x1", "Acme lost my order and nobody answers.", handle="star", followers=250000,
                                posted_at=self._at(1)))
        alert = self._alerts()
        self.assertEqual(alert.mention_body, "Acme lost my order and nobody answers.")
        self.assertEqual((alert.mention_author, alert.trigger_mention_ids), ("star", alert.mention_id))
        action = alert.action_view_trigger_mentions()
        self.assertEqual(self.Mention.search(action["domain"]), alert.mention_id)

    def test_spike_alert_lists_the_negative_mentions_of_the_day(self):
        self._ingest(*[self._item(f"sb{n}", "Acme is awful.", posted_at=self._at(7 * n)) for n in range(1, 5)])
        self._ingest(*[self._item(f"st{n}", f"Acme support is terrible! Case {n}", handle=f"angry{n}",
                                  posted_at=self._at(0, 8 + n)) for n in range(5)],
                     self._item("st5", "I love Acme!", handle="happy", posted_at=self._at(0, 7)))
        alert = self._alerts()
        self.assertEqual(alert.kind, "negative_spike")
        self.assertFalse(alert.mention_body, "a spike has no single mention")
        self.assertEqual(alert.trigger_mention_ids.mapped("external_id"), [f"st{n}" for n in range(4, -1, -1)],
                         "the day's negative mentions, latest first; not the positive one, not the baseline")
        self.assertEqual(self.Mention.search(alert.action_view_trigger_mentions()["domain"]), alert.trigger_mention_ids)

    def test_alert_without_responsible_goes_to_the_managers(self):
        manager = new_test_user(self.env, login="alert_fallback_mgr", groups="social_crm.social_crm_group_manager")
        other_company = self.env["res.company"].create({"name": "Alert Elsewhere Co"})
        manager_elsewhere = new_test_user(
            self.env, login="alert_fallback_other", groups="social_crm.social_crm_group_manager",
            company_id=other_company.id, company_ids=[other_company.id])
        user = new_test_user(self.env, login="alert_fallback_user", groups="social_crm.social_crm_group_user")
        orphan = self._create_source("Nobody's webhook")
        self._ingest_into(orphan, [self._item("o1", "Acme is the worst company ever.", handle="star",
                                              followers=250000, posted_at=self._at(0))])
        alert = self.Alert.search([("source_id", "=", orphan.id)])
        self.assertEqual(len(alert), 1)
        self.assertFalse(alert.user_id)
        self.assertFalse(alert.activity_ids)
        note = alert.message_ids.filtered("partner_ids")
        self.assertEqual(len(note), 1)
        self.assertIn("Nobody is responsible for the source Nobody's webhook", note.body)
        told = note.notification_ids.res_partner_id
        self.assertIn(manager.partner_id, told)
        self.assertIn(self.env.ref("base.user_admin").partner_id, told)
        self.assertNotIn(manager_elsewhere.partner_id, told, "managers of another company do not see it")
        self.assertNotIn(user.partner_id, told, "Social CRM users are not managers")
        # a source with a responsible: their to-do, no one else disturbed
        self._ingest(self._item("o2", "Acme is the worst company ever.", handle="star", followers=250000,
                                posted_at=self._at(0)))
        alert = self._alerts()
        self.assertEqual(alert.activity_ids.user_id, self.env.ref("base.user_admin"))
        self.assertFalse(alert.message_ids.filtered("partner_ids"))

