from collections import defaultdict
from datetime import timedelta

from odoo import fields
from odoo.modules.migration import load_script
from odoo.tests import tagged
from odoo.tools.misc import get_lang

from .common import VERY_NEGATIVE, VERY_POSITIVE, ReputationCommon

NEUTRAL = "Acme opened a shop in the station."
UNSCORED = "Acme est vraiment nul, je ne l'achèterai plus jamais."


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationGroupedRatios(ReputationCommon):
    """Grouped rows of the brand series give the ratios of their summed counts, whatever groups them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._source_of_own_company("Grouped ratios")
        today = fields.Date.context_today(cls.env["social.reputation.daily"].with_context(tz="UTC"))
        last_monday = today - timedelta(days=today.weekday() + 7)
        mondays = (last_monday - timedelta(days=7), last_monday)
        # the weeks as grouped for the user's language (Sunday or Monday first): the mentions fall
        # from Monday to Friday, in the same week either way
        cls.weeks = tuple(cls._week_start(monday) for monday in mondays)
        # (week, day of the week, network, texts): days of very different volumes, so that the mean
        # of the rows' ratios is far from the ratio of the summed counts
        plan = [
            (0, 0, "x", [VERY_POSITIVE]),
            (0, 2, "x", [VERY_POSITIVE] + [VERY_NEGATIVE] * 4 + [NEUTRAL, UNSCORED]),
            (0, 2, "mastodon", [NEUTRAL, NEUTRAL, VERY_POSITIVE]),
            (1, 1, "x", [VERY_NEGATIVE]),
            (1, 3, "x", [VERY_POSITIVE] * 6 + [VERY_NEGATIVE]),
            (1, 3, "mastodon", [VERY_NEGATIVE, VERY_NEGATIVE, UNSCORED]),
            (1, 4, "mastodon", [UNSCORED]),
        ]
        items = []
        for week, weekday, network, texts in plan:
            posted_at = fields.Datetime.to_datetime(mondays[week] + timedelta(days=weekday)) + timedelta(hours=9)
            for text in texts:
                cls._counter += 1
                items.append({
                    "id": f"grouped-{cls._counter}", "network": network,
                    "author": {"handle": f"grouped{cls._counter}"}, "text": text,
                    "lang": "fr" if text == UNSCORED else "en",
                    "posted_at": (posted_at + timedelta(minutes=cls._counter)).strftime("%Y-%m-%dT%H:%M:%SZ")})
        result = cls.Mention._ingest(cls.source, items)
        assert (result["created"], result["errors"]) == (len(items), []), result["errors"]
        cls.mentions = cls.Mention.search([("source_id", "=", cls.source.id)])
        cls.env["social.reputation.daily"]._cron_refresh_daily()
        cls.Daily = cls.env["social.reputation.daily"]
        cls.domain = [("source_id", "=", cls.source.id)]

    def _by_hand(self, key):
        """{key: (mentions, net sentiment, average sentiment)} counted from the mentions themselves."""
        counts = defaultdict(lambda: {"mentions": 0, "positive": 0, "negative": 0, "scored": 0, "score": 0.0})
        for mention in self.mentions:
            group = counts[key(mention)]
            group["mentions"] += 1
            if mention.sentiment_label in ("positive", "neutral", "negative"):
                group["scored"] += 1
                group["score"] += mention.sentiment_score
                group[mention.sentiment_label] = group.get(mention.sentiment_label, 0) + 1
        return {k: (c["mentions"], (c["positive"] - c["negative"]) / c["scored"] if c["scored"] else 0.0,
                    c["score"] / c["scored"] if c["scored"] else 0.0)
                for k, c in counts.items()}

    @classmethod
    def _week_start(cls, day):
        first_weekday = int(get_lang(cls.env).week_start) - 1  # 0 = Monday, as date.weekday()
        return day - timedelta(days=(day.weekday() - first_weekday) % 7)

    def _week_of(self, mention):
        return self._week_start(mention.posted_at.date())

    def test_the_fixture_is_scored_as_planned(self):
        labels = defaultdict(int)
        for mention in self.mentions:
            labels[mention.sentiment_label] += 1
        self.assertEqual(dict(labels), {"positive": 9, "negative": 8, "neutral": 3, "unscored": 3})
        self.assertEqual(self.Daily.search_count(self.domain), 7, "one row per day and network")

    def test_by_week(self):
        expected = self._by_hand(self._week_of)
        self.assertEqual(set(expected), set(self.weeks))
        groups = self.Daily._read_group(self.domain, ["date:week"],
                                        ["mention_count:sum", "net_sentiment:avg", "sentiment_avg:avg"])
        self.assertEqual(len(groups), 2)
        for week, mentions, net, average in groups:
            self.assertEqual(mentions, expected[week][0], week)
            self.assertAlmostEqual(net, expected[week][1], msg=f"net sentiment of the week of {week}")
            self.assertAlmostEqual(average, expected[week][2], msg=f"average sentiment of the week of {week}")
        # the first week: (3 positive - 4 negative) / 10 scored; its rows' mean would say (1 - 1/2 + 1/3) / 3
        self.assertAlmostEqual(expected[self.weeks[0]][1], (3 - 4) / 10)
        self.assertAlmostEqual(expected[self.weeks[1]][1], (6 - 4) / 10)
        rows = self.Daily.search(self.domain + [("date", "<", self.weeks[0] + timedelta(days=7))])
        self.assertEqual(len(rows), 3)
        self.assertGreater(abs(sum(rows.mapped("net_sentiment")) / len(rows) - expected[self.weeks[0]][1]), 0.3,
                           "the fixture tells a mean of the rows' ratios from the ratio of the sums")

    def test_by_network_as_the_web_client_reads_it(self):
        expected = self._by_hand(lambda mention: mention.network)
        self.assertAlmostEqual(expected["x"][1], (8 - 6) / 15)
        self.assertAlmostEqual(expected["mastodon"][1], (1 - 2) / 5)
        # the list and graph views call web_read_group and read_group with the fields' own aggregators
        result = self.Daily.web_read_group(self.domain, ["mention_count", "net_sentiment", "sentiment_avg"],
                                           ["network"], lazy=True)
        self.assertEqual(result["length"], 2)
        for group in result["groups"]:
            mentions, net, average = expected[group["network"]]
            self.assertEqual(group["mention_count"], mentions)
            self.assertAlmostEqual(group["net_sentiment"], net, msg=group["network"])
            self.assertAlmostEqual(group["sentiment_avg"], average, msg=group["network"])

    def test_pivot_cells_and_totals(self):
        """The pivot reads every cell (week × network) and every total with read_group."""
        expected = self._by_hand(lambda mention: (self._week_of(mention), mention.network))
        cells = self.Daily.read_group(self.domain, ["mention_count:sum", "net_sentiment:avg", "sentiment_avg:avg"],
                                      ["date:week", "network"], lazy=False)
        self.assertEqual(len(cells), 4)
        for cell in cells:
            week = fields.Date.to_date(cell["__range"]["date:week"]["from"])
            mentions, net, average = expected[(week, cell["network"])]
            self.assertEqual(cell["mention_count"], mentions)
            self.assertAlmostEqual(cell["net_sentiment"], net, msg=f"{week} {cell['network']}")
            self.assertAlmostEqual(cell["sentiment_avg"], average, msg=f"{week} {cell['network']}")
        [total] = self.Daily.read_group(self.domain, ["mention_count", "net_sentiment", "sentiment_avg"], [])
        [everything] = self._by_hand(lambda mention: True).values()
        self.assertEqual(total["mention_count"], everything[0])
        self.assertEqual(total["mention_count"], 23)
        self.assertAlmostEqual(total["net_sentiment"], (9 - 8) / 20)
        self.assertAlmostEqual(total["sentiment_avg"], everything[2])

    def test_groups_are_ordered_and_filtered_by_the_ratio(self):
        by_network = self.Daily._read_group(self.domain, ["network"], ["net_sentiment:avg"],
                                            order="net_sentiment:avg desc")
        self.assertEqual([network for network, _net in by_network], ["x", "mastodon"])
        positive = self.Daily._read_group(self.domain, ["date:week"], ["__count"],
                                          having=[("net_sentiment:avg", ">", 0)])
        self.assertEqual([week for week, _count in positive], [self.weeks[1]], "(6 - 4) / 10 > 0 > (3 - 4) / 10")

    def test_a_group_without_scored_mention(self):
        [(net, average, mentions)] = self.Daily._read_group(
            self.domain + [("network", "=", "mastodon"), ("scored_count", "=", 0)], [],
            ["net_sentiment:avg", "sentiment_avg:avg", "mention_count:sum"])
        self.assertEqual((net, average, mentions), (0.0, 0.0, 1))

    def test_rows_stored_before_the_total_get_it_on_update(self):
        rows = self.Daily.search(self.domain)
        for row in rows:
            scores = [m.sentiment_score for m in self.mentions
                      if m.posted_at.date() == row.date and m.network == row.network
                      and m.sentiment_label in ("positive", "neutral", "negative")]
            self.assertAlmostEqual(row.sentiment_sum, sum(scores), msg=f"{row.date} {row.network}")
        expected = {row.id: row.sentiment_sum for row in rows}
        # the column as an update adds it: empty on the rows already stored
        self.env.cr.execute("UPDATE social_reputation_daily SET sentiment_sum = NULL WHERE id = ANY(%s)", [rows.ids])
        rows.invalidate_recordset(["sentiment_sum"])

        def empty():
            self.env.cr.execute(
                "SELECT COUNT(*) FROM social_reputation_daily WHERE id = ANY(%s) AND sentiment_sum IS NULL", [rows.ids])
            return self.env.cr.fetchone()[0]

        self.assertEqual(empty(), 7)
        script = load_script("social_crm_reputation/migrations/18.0.1.1.0/post-migrate-sentiment-sum.py",
                             "social_crm_reputation_sentiment_sum")
        script.migrate(self.env.cr, "18.0.1.0.0")
        self.assertEqual(empty(), 0)
        for row in rows:
            self.assertAlmostEqual(row.sentiment_sum, expected[row.id], msg=f"{row.date} {row.network}")
