from datetime import date

import psycopg2

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ReputationCommon

DAY = date(2026, 5, 4)


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationDimensions(ReputationCommon):
    """The brand reputation series by sales team and campaign."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_a, cls.user_b, cls.user_lone = (
            new_test_user(cls.env, login=login,
                          groups="social_crm.social_crm_group_user,sales_team.group_sale_salesman")
            for login in ("rep_dim_a", "rep_dim_b", "rep_dim_lone"))
        cls.team_a, cls.team_b = cls.env["crm.team"].create([{"name": "Reputation team A"},
                                                             {"name": "Reputation team B"}])
        cls.env["crm.team.member"].create([{"crm_team_id": cls.team_a.id, "user_id": cls.user_a.id},
                                           {"crm_team_id": cls.team_b.id, "user_id": cls.user_b.id}])
        cls.campaign = cls.env["utm.campaign"].create({"name": "Reputation spring campaign"})
        cls.dim_source = cls.env["social.source"].create(
            {"name": "Reputation dimensions webhook", "source_type": "webhook", "network": "x",
             "user_id": cls.user_a.id})

    def _ingest_dim(self, *external_ids, source=None):
        return self._ingest_into(source or self.dim_source, [
            self._item(external_id, "I love Acme!", handle=f"h{external_id}", posted_at="2026-05-04T10:00:00Z")
            for external_id in external_ids])

    def _rows(self, source=None):
        return self.env["social.reputation.daily"].search(
            [("source_id", "=", (source or self.dim_source).id), ("date", "=", DAY)])

    def _counts(self, source=None):
        return {(row.team_id, row.campaign_id): row.mention_count for row in self._rows(source)}

    def test_team_of_the_assignee_at_ingestion(self):
        result = self._ingest_dim("t1", "t2")
        self.assertEqual(result["mentions"][0].team_id, self.team_a)
        self.dim_source.user_id = self.user_b
        result_b = self._ingest_dim("t3")
        self.assertEqual(result_b["mentions"][0].team_id, self.team_b)
        empty = self.env["utm.campaign"]
        self.assertEqual(self._counts(), {(self.team_a, empty): 2, (self.team_b, empty): 1})
        self.assertEqual(sum(self._rows().mapped("positive_count")), 3)

    def test_campaign_of_the_source(self):
        self._ingest_dim("c1")
        self.dim_source.campaign_id = self.campaign
        result = self._ingest_dim("c2", "c3")
        self.assertEqual(result["mentions"][0].campaign_id | result["mentions"][1].campaign_id, self.campaign)
        self.assertEqual(self._counts(), {(self.team_a, self.env["utm.campaign"]): 1, (self.team_a, self.campaign): 2})
        self.assertEqual(self.env["social.reputation.daily"].search_count(
            [("campaign_id", "=", self.campaign.id), ("date", "=", DAY)]), 1)

    def test_reassignment_moves_the_mention(self):
        mentions = self._ingest_dim("r1", "r2")["mentions"]
        empty = self.env["utm.campaign"]
        self.assertEqual(self._counts(), {(self.team_a, empty): 2})
        mentions[0].user_id = self.user_b
        self.assertEqual(mentions[0].team_id, self.team_b)
        self.env["social.reputation.daily"]._refresh_days([DAY])
        self.assertEqual(self._counts(), {(self.team_a, empty): 1, (self.team_b, empty): 1})
        # an assignee without a team: the mention counts for the team of the source's responsible
        mentions[0].user_id = self.user_lone
        self.assertEqual(mentions[0].team_id, self.team_a)
        self.env["social.reputation.daily"]._refresh_days([DAY])
        self.assertEqual(self._counts(), {(self.team_a, empty): 2})
        # an explicit team is kept
        mentions[1].write({"user_id": self.user_b.id, "team_id": self.team_a.id})
        self.assertEqual(mentions[1].team_id, self.team_a)

    def test_created_mentions_get_dimensions(self):
        self.dim_source.campaign_id = self.campaign
        mention = self.Mention.create({
            "source_id": self.dim_source.id, "network": "x", "external_id": "created-1", "author_handle": "someone",
            "body": "Fine.", "user_id": self.user_b.id, "posted_at": "2026-05-04 10:00:00"})
        self.assertEqual((mention.team_id, mention.campaign_id), (self.team_b, self.campaign))

    def test_no_duplicate_row_without_team_or_campaign(self):
        source = self.env["social.source"].create(
            {"name": "Reputation dimensions bare", "source_type": "webhook", "network": "x"})
        self._ingest_dim("n1", "n2", source=source)
        Daily = self.env["social.reputation.daily"]
        Daily._refresh_days([DAY])
        Daily._refresh_days([DAY], source_ids=source.ids)
        row = self._rows(source)
        self.assertEqual(len(row), 1)
        self.assertFalse(row.team_id or row.campaign_id)
        self.assertEqual(row.mention_count, 2)
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            row.copy()

    def test_dimensions_are_batched(self):
        """Completing the team and campaign costs the same number of queries for 2 or 40 mentions."""
        def queries(count):
            vals_list = [{"source_id": self.dim_source.id, "user_id": (self.user_a | self.user_b)[n % 2].id}
                         for n in range(count)]
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.Mention._add_dimension_vals(vals_list)
            self.assertEqual({vals["team_id"] for vals in vals_list}, {self.team_a.id, self.team_b.id})
            return self.env.cr.sql_log_count - before
        self.assertEqual(queries(2), queries(40))

    def test_views_show_the_dimensions(self):
        Daily = self.env["social.reputation.daily"]
        arch = Daily.get_views([(False, "search"), (False, "pivot")])["views"]
        self.assertIn("group_team", arch["search"]["arch"])
        self.assertIn("group_campaign", arch["search"]["arch"])
        self.assertIn("team_id", arch["pivot"]["arch"])
        form = self.env["social.source"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="campaign_id"', form)
