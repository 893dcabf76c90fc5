import time
from datetime import datetime, timedelta, timezone

from odoo.tests import tagged

from odoo.addons.social_crm.tests.test_stream_mastodon import MastodonStreamCase


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestStreamAlerts(MastodonStreamCase):
    """Alerts at stream speed: each batch the social-stream command stores runs the same checks as
    any ingestion (``_mention_after_create``), so the spike and the loud complaint are raised
    within seconds of the post, not at the next scheduled check."""

    def alerts(self):
        with self.committed_env() as env:
            alerts = env["social.reputation.alert"].search([("source_id", "=", self.source_id)])
            return [(alert.kind, alert.negative_count, alert.mention_id.external_id or False,
                     alert.create_date) for alert in alerts]

    def test_spike_and_high_reach_alerts_raised_by_stream_batches(self):
        self.addCleanup(self.remove_alerts)
        runner, _stop = self.run_stream(batch_seconds=0.2)
        self.wait_connected()
        now = datetime.now(timezone.utc)

        def created(days_ago):
            return (now - timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%S.000Z")

        # a quiet baseline: one complaint a week for four weeks (delivered late, as federation does)
        baseline = [self.status("Acme is awful.", created_at=created(7 * week)) for week in range(1, 5)]
        self.replay.add(*(("update", post) for post in baseline))
        self.wait_for(lambda: len(self.stored()) == 4)
        self.assertEqual(self.alerts(), [])
        loud = self.status("Acme is the worst company ever.", followers=250_000)
        self.replay.add(("update", loud))
        self.wait_for(lambda: self.alerts(), timeout=10, message="no high-reach alert")
        self.assertEqual([alert[:3] for alert in self.alerts()], [("high_reach_negative", 1, loud["id"])])
        complaints = [self.status(f"Acme support is terrible! #{index}") for index in range(5)]
        self.replay.add(*(("update", post) for post in complaints))
        crossed = time.time()
        self.wait_for(lambda: len(self.alerts()) == 2, timeout=10, message="no spike alert")
        raised = self.wait_for(lambda: [alert for alert in self.alerts() if alert[0] == "negative_spike"])
        self.assertGreaterEqual(raised[0][1], 2, "today's complaints, the loud one included")
        sent = max(self.replay.sent_at[post["id"]] for post in complaints)
        self.assertLess(time.time() - crossed, 5, "raised within 5 s of the threshold being crossed")
        self.assertGreaterEqual(sent, crossed - 1)
        self.assert_created(runner, 10)

    def remove_alerts(self):
        with self.committed_env() as env:
            env["social.reputation.alert"].search([("source_id", "=", self.source_id)]).unlink()
