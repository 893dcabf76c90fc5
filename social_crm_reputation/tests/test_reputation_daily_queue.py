from odoo import SUPERUSER_ID, api, fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.social_crm.tests.common import CommittedDataCase

from .common import VERY_NEGATIVE, VERY_POSITIVE

COUNTS = ["mention_count", "positive_count", "neutral_count", "negative_count", "unscored_count", "scored_count",
          "reach"]


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationDailyQueue(CommittedDataCase):
    """Concurrent batches of one source and day: one adds itself to the day's row, the others
    queue their figures instead of waiting for that row or failing to serialize."""

    def batch(self, prefix, text, count, followers=10):
        now = fields.Datetime.now().isoformat() + "Z"
        return [{"id": f"{prefix}{index}", "author": {"handle": f"{self.tag}{prefix}{index}", "followers": followers},
                 "text": text, "lang": "en", "posted_at": now} for index in range(count)]

    def ingest(self, env, items):
        return env["social.mention"]._ingest(env["social.source"].browse(self.source_id), items)

    def series(self, env):
        """The day's row (counts, reach, averages), and the queued rows of the source."""
        Daily = env["social.reputation.daily"]
        row = Daily.search([("source_id", "=", self.source_id)])
        self.assertEqual(len(row), 1, "one source, one day, one network: one row")
        queued = env.execute_query(SQL(
            "SELECT mention_count, positive_count, neutral_count, reach FROM social_reputation_daily_queue"
            " WHERE source_id = %s ORDER BY mention_count", self.source_id))
        return row, queued

    def test_contended_batches_are_queued_and_the_merge_equals_a_rebuild(self):
        with self.committed_env() as env:
            self.ingest(env, self.batch("a", VERY_NEGATIVE, 2))  # the day's row, alone
        with self.registry.cursor() as cr_b, self.registry.cursor() as cr_c, self.registry.cursor() as cr_d:
            env_b, env_c, env_d = (api.Environment(cr, SUPERUSER_ID, {}) for cr in (cr_b, cr_c, cr_d))
            cr_d.execute("SELECT 1")  # D began before B committed
            self.ingest(env_b, self.batch("b", VERY_POSITIVE, 3))  # adds itself to the row, which it holds
            result_c = self.ingest(env_c, self.batch("c", "Acme opened a shop.", 4, followers=5))  # row held: queued
            cr_b.commit()
            cr_c.commit()
            result_d = self.ingest(env_d, self.batch("d", VERY_POSITIVE, 5, followers=1))  # row changed since: queued
            cr_d.commit()
        self.assertEqual((result_c["created"], result_d["created"]), (4, 5))

        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            row, queued = self.series(env)
            self.assertEqual([row[name] for name in COUNTS[:4]] + [row.reach], [2 + 3, 3, 0, 2, 2 * 10 + 3 * 10])
            self.assertEqual(queued, [(4, 0, 4, 20), (5, 5, 0, 5)])
            # alerts read the series with what is queued: the day's counts are whole at once
            [(mentions, negatives)] = env.execute_query(SQL(
                "SELECT SUM(mention_count), SUM(negative_count) FROM %s s WHERE source_id = %s",
                env["social.reputation.daily"]._with_queue_sql(["source_id", "mention_count", "negative_count"]),
                self.source_id))
            self.assertEqual((mentions, negatives), (14, 2))

            self.assertEqual(env["social.reputation.daily"]._merge_queue(), 2)
            row, queued = self.series(env)
            self.assertEqual(queued, [])
            merged = row.read(COUNTS + ["net_sentiment", "sentiment_avg", "author_count"])[0]
            self.assertEqual([merged[name] for name in COUNTS], [14, 8, 4, 2, 0, 14, 20 + 30 + 20 + 5])
            self.assertAlmostEqual(merged["net_sentiment"], (8 - 2) / 14)

            env["social.reputation.daily"]._refresh_days([row.date], source_ids=[self.source_id])
            rebuilt = row.read(list(merged))[0]
            for name in COUNTS + ["net_sentiment", "sentiment_avg"]:
                self.assertAlmostEqual(merged[name], rebuilt[name],
                                       msg=f"{name}: the merged queue is what a rebuild finds")
            self.assertEqual(rebuilt["author_count"], 14, "made exact by the rebuild")
            self.assertLessEqual(merged["author_count"], rebuilt["author_count"])
            cr.rollback()

        with self.registry.cursor() as cr:  # the series' job merges too, and so does a rebuild of the day
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["social.reputation.daily"]._cron_refresh_daily()
            row, queued = self.series(env)
            self.assertEqual((row.mention_count, row.author_count, queued), (14, 14, []))
            cr.rollback()
            env["social.reputation.daily"]._refresh_days([row.date], source_ids=[self.source_id])
            row, queued = self.series(env)
            self.assertEqual((row.mention_count, queued), (14, []), "the queue of a rebuilt day is dropped")
            cr.rollback()
