from odoo.tests import tagged

from .common import ReputationCommon


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationPerformance(ReputationCommon):
    """Scoring, recomputing and aggregating cost a number of queries that does not grow with the batch."""

    def _queries(self, func):
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _items(self, prefix, count):
        return [self._item(f"{prefix}{n}", "Great!" if n % 2 else "Awful!", handle=f"{prefix}h{n}",
                           posted_at=f"2026-06-{1 + n % 5:02d}T10:00:00Z") for n in range(count)]

    def test_rescore_is_batched(self):
        small = self._mentions(*[(self.ann, "Great!")] * 5)
        large = self._mentions(*[(self.bob, "Awful!")] * 60)
        self.assertEqual(self._queries(small._rescore_sentiment), self._queries(large._rescore_sentiment))

    def test_reputation_is_batched(self):
        partners = self.Partner.create([{"name": f"Perf {n}"} for n in range(40)])
        self._mentions(*[(partner, "Great!") for partner in partners] * 2)
        self.Partner._social_reputation_prior()
        self.assertEqual(self._queries(partners[:4]._recompute_social_reputation),
                         self._queries(partners._recompute_social_reputation))

    def test_daily_refresh_is_one_statement_per_batch(self):
        self._ingest(*self._items("w", 4))
        mentions_small = self.Mention.search([("external_id", "=like", "w%"), ("source_id", "=", self.source.id)])
        self._ingest(*self._items("z", 80))
        mentions_large = self.Mention.search([("external_id", "=like", "z%"), ("source_id", "=", self.source.id)])
        Daily = self.env["social.reputation.daily"]
        self.assertEqual(self._queries(lambda: Daily._refresh_mentions_days(mentions_small)),
                         self._queries(lambda: Daily._refresh_mentions_days(mentions_large)))
