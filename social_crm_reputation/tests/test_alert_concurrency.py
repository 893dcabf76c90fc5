from odoo import SUPERUSER_ID, api, fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.social_crm.tests.common import CommittedDataCase


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestAlertConcurrency(CommittedDataCase):
    """The same spike seen by two batches at once, each committed on a connection of its own."""

    def setUp(self):
        super().setUp()
        self.key = f"negative_spike:{self.source_id}:{self.tag}"
        self.addCleanup(self.remove_alerts)

    def remove_alerts(self):
        with self.committed_env() as env:
            env["social.reputation.alert"].with_context(active_test=False).search(
                [("source_id", "=", self.source_id)]).unlink()

    def raise_alert(self, env):
        return env["social.reputation.alert"]._create_new([{
            "name": "7 negative of 9 mentions", "kind": "negative_spike", "date": fields.Date.context_today(env.user),
            "source_id": self.source_id, "negative_count": 7, "mention_count": 9, "dedup_key": self.key,
            "user_id": env.ref("base.user_admin").id}])

    def test_the_same_spike_raised_by_two_transactions_is_stored_once(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = api.Environment(cr_a, SUPERUSER_ID, {}), api.Environment(cr_b, SUPERUSER_ID, {})
            cr_a.execute("SELECT 1")
            cr_b.execute("SELECT 1")  # both began before the alert existed
            self.assertEqual(len(self.raise_alert(env_a)), 1)
            cr_a.commit()
            with mute_logger("odoo.sql_db"):
                self.assertEqual(len(self.raise_alert(env_b)), 0, "B's snapshot has no alert: its insert is skipped")
            cr_b.commit()
        with self.committed_env() as env:
            alerts = env["social.reputation.alert"].with_context(active_test=False).search(
                [("source_id", "=", self.source_id)])
            self.assertEqual([(a.dedup_key, a.negative_count) for a in alerts], [(self.key, 7)])
            activities = env["mail.activity"].search(
                [("res_model", "=", "social.reputation.alert"), ("res_id", "=", alerts.id)])
            self.assertEqual(len(activities), 1, "one activity, of the alert stored")
