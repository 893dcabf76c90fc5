import psycopg2
from lxml import etree

from odoo import SUPERUSER_ID, api
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ReputationCommon


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationDaily(ReputationCommon):

    def _rows(self):
        return self.env["social.reputation.daily"].search([("source_id", "=", self.source.id)], order="date, network")

    def test_ingestion_builds_the_days(self):
        self._ingest(
            self._item("d1", "I love Acme!", handle="ann", followers=100, posted_at="2026-01-10T08:00:00Z"),
            self._item("d2", "Acme is awful.", handle="bob", followers=50, posted_at="2026-01-10T22:00:00Z"),
            self._item("d3", "Acme is awful too.", handle="bob", posted_at="2026-01-10T23:00:00Z"),
            self._item("d4", "Acme opened a shop.", handle="carl", posted_at="2026-01-11T09:00:00Z"),
            self._item("d5", "Acme est vraiment nul, je ne l'achèterai plus jamais.", handle="dan",
                       lang="fr", posted_at="2026-01-11T10:00:00Z"),
            self._item("d6", "Great Acme!", handle="eve", network="mastodon", posted_at="2026-01-11T11:00:00Z"),
        )
        rows = self._rows()
        self.assertEqual([(str(r.date), r.network) for r in rows],
                         [("2026-01-10", "x"), ("2026-01-11", "mastodon"), ("2026-01-11", "x")])
        day1 = rows[0]
        self.assertEqual((day1.mention_count, day1.positive_count, day1.negative_count, day1.neutral_count),
                         (3, 1, 2, 0))
        self.assertAlmostEqual(day1.net_sentiment, (1 - 2) / 3)
        self.assertEqual((day1.reach, day1.author_count, day1.company_id), (150, 2, self.source.company_id))
        day2 = rows[2]
        self.assertEqual((day2.mention_count, day2.neutral_count, day2.unscored_count, day2.scored_count), (2, 1, 1, 1))
        self.assertEqual(day2.net_sentiment, 0.0)

        # a later batch of the same day updates the row in place
        self._ingest(self._item("d7", "Love it!", handle="fay", posted_at="2026-01-10T12:00:00Z"))
        rows_after = self._rows()
        self.assertEqual(rows_after, rows)
        self.assertEqual((day1.mention_count, day1.positive_count), (4, 2))
        self.assertAlmostEqual(day1.net_sentiment, 0.0)

    def test_ingestion_adds_each_batch_and_the_cron_makes_it_exact(self):
        cron = self.env.ref("social_crm_reputation.ir_cron_refresh_reputation_daily")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        self.Mention._ingest(self.source, [
            self._item("o1", "I love Acme!", handle="ann", followers=10, posted_at="2026-01-10T08:00:00Z"),
            self._item("o2", "Acme is awful.", handle="dan", followers=5, posted_at="2026-01-10T09:00:00Z"),
            self._item("o3", "Acme is awful.", handle="bob", posted_at="2026-01-02T09:00:00Z")])
        self.Mention._ingest(self.source, [
            self._item("o4", "Acme is awful.", handle="ann", followers=1, posted_at="2026-01-10T10:00:00Z"),
            self._item("o5", "Acme opened a shop.", handle="carl", posted_at="2026-01-10T11:00:00Z")])
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), triggers + 2,
                         "each batch wakes the series' job up")
        rows = self._rows()
        self.assertEqual([str(r.date) for r in rows], ["2026-01-02", "2026-01-10"], "every day at once, older ones too")
        day = rows[1]
        self.assertEqual((day.mention_count, day.positive_count, day.negative_count, day.neutral_count,
                          day.scored_count, day.reach), (4, 1, 2, 1, 4, 16))
        self.assertAlmostEqual(day.net_sentiment, (1 - 2) / 4)
        self.assertEqual(day.author_count, 2, "distinct authors of a day: the larger batch's figure until the job runs")
        added = day.read(["mention_count", "positive_count", "neutral_count", "negative_count", "unscored_count",
                          "scored_count", "net_sentiment", "sentiment_avg", "reach"])[0]

        self.env["social.reputation.daily"]._cron_refresh_daily()
        self.assertEqual(self._rows(), rows)
        self.assertEqual(day.author_count, 3, "ann, dan and carl")
        rebuilt = day.read(list(added))[0]
        for name, value in added.items():
            self.assertAlmostEqual(rebuilt[name], value, msg=f"{name}: what ingestion added is what a rebuild finds")

    def test_changes_are_caught_by_the_cron(self):
        result = self._ingest(self._item("c1", "I love Acme!", posted_at="2026-02-01T08:00:00Z"),
                              self._item("c2", "I hate Acme!", posted_at="2026-02-01T09:00:00Z"))
        self.env["social.reputation.daily"]._cron_refresh_daily()
        mention = result["mentions"][1]
        mention.posted_at = "2026-02-03 09:00:00"
        self.env["social.reputation.daily"]._cron_refresh_daily()
        rows = self._rows()
        self.assertEqual([(str(r.date), r.positive_count, r.negative_count) for r in rows],
                         [("2026-02-01", 1, 0), ("2026-02-03", 0, 1)])
        result["mentions"][0].unlink()
        self.assertEqual([str(r.date) for r in self._rows()], ["2026-02-03"])
        self.env["social.reputation.daily"]._refresh_all()
        self.assertEqual([str(r.date) for r in self._rows()], ["2026-02-03"])

    def test_the_job_looks_back_to_the_oldest_open_transaction(self):
        # transactions open when the job starts (this test's, an ingestion's): rows they write are stamped
        # with their start, before the job's
        with self.registry.cursor() as ingestion, self.registry.cursor() as job:
            ingestion.execute("SELECT now() AT TIME ZONE 'UTC'")
            [(ingestion_start,)] = ingestion.fetchall()
            job_env = api.Environment(job, SUPERUSER_ID, {})
            self.assertLessEqual(job_env["social.reputation.daily"]._unseen_changes_horizon(), ingestion_start)
            self.assertLess(job_env["social.reputation.daily"]._unseen_changes_horizon(), job_env.cr.now())

    def test_rescoring_updates_the_days(self):
        result = self._ingest(self._item("r1", "It is ok I guess.", posted_at="2026-03-01T08:00:00Z"))
        mention = result["mentions"][0]
        self.assertEqual(self._rows().positive_count, 1)
        self.env["ir.config_parameter"].set_param(
            "social_crm_reputation.positive_threshold", str(mention.sentiment_score + 0.01))
        mention.action_rescore_sentiment()
        self.assertEqual((self._rows().positive_count, self._rows().neutral_count), (0, 1))

    def test_one_row_per_key(self):
        self._ingest(self._item("u1", "Fine.", posted_at="2026-04-01T08:00:00Z"))
        row = self._rows()
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            row.copy()

    def test_access(self):
        self._ingest(self._item("a1", "Fine.", posted_at="2026-04-01T08:00:00Z"))
        user = new_test_user(self.env, login="rep_daily_user", groups="social_crm.social_crm_group_user")
        Daily = self.env["social.reputation.daily"].with_user(user)
        self.assertTrue(Daily.search([("source_id", "=", self.source.id)]))
        self.assertFalse(Daily.has_access("write"))
        other = self.env["res.company"].create({"name": "Other reputation company"})
        source = self.env["social.source"].create(
            {"name": "Other", "source_type": "webhook", "network": "x", "company_id": other.id})
        self._ingest_into(source, [self._item("a2", "Fine.", posted_at="2026-04-01T08:00:00Z")])
        self.assertFalse(Daily.search([("source_id", "=", source.id)]))
        self.assertTrue(self.env["social.reputation.daily"].search([("source_id", "=", source.id)]))

    def test_dashboard_views_load(self):
        action = self.env.ref("social_crm_reputation.social_reputation_daily_action")
        views = self.env["social.reputation.daily"].get_views([(False, "graph"), (False, "pivot"), (False, "list")])
        self.assertEqual(set(views["views"]), {"graph", "pivot", "list"})
        comparison = self.env.ref("social_crm_reputation.social_reputation_daily_action_comparison")
        graph = comparison.view_ids[:1]
        self.assertEqual(graph.view_mode, "graph")
        arch = etree.fromstring(self.env["social.reputation.daily"].get_views(
            [(graph.view_id.id, "graph")])["views"]["graph"]["arch"])
        self.assertEqual((arch.get("type"), arch.get("js_class"), arch.xpath("field[not(@type)]/@name")),
                         ("bar", "social_reputation_graph", ["network"]), "networks side by side, as bars")
        menus = self.env.ref("social_crm_reputation.social_crm_reputation_menu_root").child_id
        self.assertLessEqual({action, comparison,
                              self.env.ref("social_crm_reputation.res_partner_action_social_reputation"),
                              self.env.ref("social_crm_reputation.social_reputation_alert_action"),
                              self.env.ref("social_crm_reputation.social_reputation_report_wizard_action")},
                             {menu.action for menu in menus}, "other addons may add their own reports")
