import math
from datetime import timedelta

from odoo.tests import new_test_user, tagged

from odoo.addons.social_crm_reputation.lib import stats

from .common import VERY_NEGATIVE, VERY_POSITIVE, ReputationCommon


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestPartnerReputation(ReputationCommon):

    def _values(self, partners):
        partners.invalidate_recordset()
        return {p.id: (p.social_reputation_score, p.social_reputation_evidence, p.social_reputation_trend)
                for p in partners}

    def test_no_data_no_division_by_zero(self):
        self.carl.action_recompute_social_reputation()
        self.assertEqual(self.carl.social_reputation_evidence, 0)
        self.assertFalse(self.carl.social_reputation_score)
        self.assertTrue(self.carl.social_reputation_date)
        # an empty population gives a neutral prior, not an error
        prior = self.Partner._social_reputation_estimate_prior(self.now, 90.0)
        self.assertTrue(-1 <= prior["mean"] <= 1)
        self.env.cr.execute("UPDATE social_mention SET sentiment_label = 'unscored'")
        self.Mention.invalidate_model()
        prior = self.Partner._social_reputation_estimate_prior(self.now, 90.0)
        self.assertEqual((prior["mean"], prior["weight"]), (0.0, stats.MAX_PRIOR_WEIGHT))

    def test_one_negative_mention_is_not_certainty(self):
        self._mentions((self.ann, VERY_NEGATIVE))
        self._mentions(*[(self.bob, VERY_NEGATIVE)] * 15)
        (self.ann | self.bob).action_recompute_social_reputation()
        self.assertEqual(self.ann.social_reputation_evidence, 1)
        self.assertGreater(self.ann.social_reputation_score, 25, "one mention is shrunk towards the population")
        prior_score = stats.to_reputation(self.Partner._social_reputation_prior()["mean"])
        self.assertLess(self.ann.social_reputation_score, prior_score)
        self.assertLess(self.bob.social_reputation_score, self.ann.social_reputation_score,
                        "more evidence moves further from the population mean")
        self.assertEqual(self.bob.social_reputation_evidence, 15)

    def test_older_mentions_weigh_less(self):
        self._mentions((self.ann, VERY_NEGATIVE, 0), (self.bob, VERY_NEGATIVE, 360))
        self._mentions((self.carl, VERY_POSITIVE, 360), (self.carl, VERY_NEGATIVE, 0))
        (self.ann | self.bob | self.carl).action_recompute_social_reputation()
        self.assertGreater(self.bob.social_reputation_score, self.ann.social_reputation_score)
        prior_score = stats.to_reputation(self.Partner._social_reputation_prior()["mean"])
        self.assertLess(self.carl.social_reputation_score, prior_score,
                        "the recent negative mention outweighs the old one")

    def test_reach_weighs_more(self):
        self._mentions((self.ann, VERY_NEGATIVE, 0, 0), (self.bob, VERY_NEGATIVE, 0, 100000))
        (self.ann | self.bob).action_recompute_social_reputation()
        self.assertLess(self.bob.social_reputation_score, self.ann.social_reputation_score)

    def test_formula(self):
        mentions = self._mentions((self.ann, VERY_POSITIVE, 0, 1000), (self.ann, VERY_NEGATIVE, 90, 0))
        prior = self.Partner._social_reputation_prior(refresh=True)
        self.ann.action_recompute_social_reputation()
        ages = [(prior["ref"] - m.posted_at).total_seconds() / 86400 for m in mentions]
        weights = [stats.decay_weight(max(age, 0), 90.0) * (1 + math.log1p(m.reach))
                   for age, m in zip(ages, mentions, strict=True)]
        weighted_sum = sum(w * m.sentiment_score for w, m in zip(weights, mentions, strict=True))
        expected = stats.to_reputation(stats.shrunk_score(weighted_sum, sum(weights), prior["mean"], prior["weight"]))
        self.assertAlmostEqual(self.ann.social_reputation_score, expected, places=1)

    def test_unscored_mentions_are_left_out(self):
        self._mentions((self.ann, ""))
        self.ann.action_recompute_social_reputation()
        self.assertEqual(self.ann.social_reputation_evidence, 0)
        self.assertFalse(self.ann.social_reputation_score)

    def test_trend(self):
        self._mentions((self.ann, VERY_NEGATIVE, 60), (self.ann, VERY_POSITIVE, 1), (self.ann, VERY_POSITIVE, 2))
        self.ann.action_recompute_social_reputation()
        self.assertGreater(self.ann.social_reputation_trend, 0)

    def test_incremental_equals_full(self):
        self._mentions((self.ann, VERY_NEGATIVE, 10), (self.bob, VERY_POSITIVE, 5), (self.carl, "It is fine.", 1))
        partners = self.ann | self.bob | self.carl
        self.Partner._cron_recompute_reputation(full=True)
        self.assertFalse(partners.filtered("social_reputation_dirty"))
        self.assertFalse(self.Partner._social_reputation_due_ids(self.Partner._social_reputation_prior()))

        self._mentions((self.ann, VERY_POSITIVE, 0, 5000), (self.ann, VERY_POSITIVE, 3))
        self.assertTrue(self.ann.social_reputation_dirty)
        before = self._values(partners)
        prior = self.Partner._social_reputation_prior()
        self.assertEqual(self.Partner._social_reputation_due_ids(prior), [self.ann.id], "only the changed partner")
        self.assertEqual(self.Partner._cron_recompute_reputation(), 1)
        incremental = self._values(partners)
        self.assertNotEqual(incremental[self.ann.id], before[self.ann.id])
        self.assertEqual(incremental[self.bob.id], before[self.bob.id])

        self.Partner._cron_recompute_reputation(full=True)
        self.assertEqual(self._values(partners), incremental)

    def test_moving_a_mention_marks_both_partners(self):
        mention = self._mentions((self.ann, VERY_NEGATIVE))
        (self.ann | self.bob).action_recompute_social_reputation()
        mention.partner_id = self.bob
        self.assertTrue(self.ann.social_reputation_dirty)
        self.assertTrue(self.bob.social_reputation_dirty)
        self.Partner._cron_recompute_reputation()
        self.assertEqual((self.ann.social_reputation_evidence, self.bob.social_reputation_evidence), (0, 1))
        mention.unlink()
        self.assertTrue(self.bob.social_reputation_dirty)

    def test_lead_and_order_show_partner_reputation(self):
        self._mentions((self.ann, VERY_POSITIVE))
        self.ann.action_recompute_social_reputation()
        lead = self.env["crm.lead"].create({"name": "Ann's lead", "partner_id": self.ann.id})
        order = self.env["sale.order"].create({"partner_id": self.ann.id})
        self.assertEqual(lead.social_reputation_score, self.ann.social_reputation_score)
        self.assertEqual(order.social_reputation_evidence, 1)
        action = lead.action_view_social_reputation_mentions()
        self.assertEqual(self.Mention.search(action["domain"]).partner_id, self.ann)

    def test_recompute_by_a_salesman(self):
        self._mentions((self.ann, VERY_POSITIVE))
        user = new_test_user(self.env, login="rep_salesman", groups="sales_team.group_sale_salesman")
        self.ann.with_user(user).action_recompute_social_reputation()
        self.assertEqual(self.ann.social_reputation_evidence, 1)
        self.assertGreater(self.ann.with_user(user).social_reputation_score, 50)

    def test_forms_show_the_reputation(self):
        for model in ("res.partner", "crm.lead", "sale.order"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            self.assertIn("social_reputation_score_text", arch, model)
            self.assertIn("social_reputation_summary", arch, model)
        action = self.env.ref("social_crm_reputation.res_partner_action_social_reputation")
        arch = self.Partner.get_views([(action.view_id.id, "list")])["views"]["list"]["arch"]
        self.assertIn("social_reputation_trend", arch)

    def test_segment_filters_on_leads(self):
        self._mentions(*[(self.ann, VERY_NEGATIVE)] * 20, *[(self.bob, VERY_POSITIVE)] * 20)
        (self.ann | self.bob).action_recompute_social_reputation()
        leads = self.env["crm.lead"].create([{"name": "Ann lead", "partner_id": self.ann.id},
                                             {"name": "Bob lead", "partner_id": self.bob.id}])
        for view in ("crm.view_crm_case_opportunities_filter", "crm.view_crm_case_leads_filter"):
            arch = self.env["crm.lead"].get_views([(self.env.ref(view).id, "search")])["views"]["search"]["arch"]
            self.assertIn('name="social_detractors"', arch)
        detractors = self.env["crm.lead"].search([
            ("id", "in", leads.ids), ("partner_id.social_reputation_evidence", ">", 0),
            ("partner_id.social_reputation_score", "<=", 35)])
        self.assertEqual(detractors.partner_id, self.ann)
        promoters = self.env["crm.lead"].search([
            ("id", "in", leads.ids), ("partner_id.social_reputation_score", ">=", 65)])
        self.assertEqual(promoters.partner_id, self.bob)

    def test_shared_contact_figures_rest_on_the_mentions_of_the_user_company(self):
        main = self.env.company
        other = self.env["res.company"].create({"name": "Reputation other company"})
        other_source = self.env["social.source"].create(
            {"name": "Other company webhook", "source_type": "webhook", "network": "x", "company_id": other.id})
        self._mentions(*[(self.ann, VERY_POSITIVE, days) for days in (1, 2)])
        self.Mention.create([{
            "source_id": other_source.id, "network": "x", "external_id": f"rep-other-{n}",
            "author_handle": "critic", "partner_id": self.ann.id, "body": VERY_NEGATIVE, "lang": "en",
            "posted_at": self.now - timedelta(days=n)} for n in range(1, 5)])
        self.ann.action_recompute_social_reputation()
        main_user, other_user = (
            new_test_user(self.env, login=f"rep_{company.id}", groups="social_crm.social_crm_group_user",
                          company_id=company.id, company_ids=[company.id])
            for company in (main, other))
        for user, evidence in ((main_user, 2), (other_user, 4)):
            with self.subTest(company=user.company_id.name):
                partner = self.ann.with_user(user)
                readable = self.Mention.with_user(user).search_count(
                    [("partner_id", "=", self.ann.id), ("sentiment_label", "!=", "unscored")])
                self.assertEqual(readable, evidence)
                self.assertEqual(partner.social_reputation_evidence, evidence)
                [row] = partner.read(["social_reputation_evidence"])
                self.assertEqual(row["social_reputation_evidence"], evidence)
                self.assertEqual(self.Partner.with_user(user).search_count(
                    [("id", "=", self.ann.id), ("social_reputation_evidence", "=", evidence)]), 1)
        self.assertGreater(self.ann.with_user(main_user).social_reputation_score, 50)
        self.assertLess(self.ann.with_user(other_user).social_reputation_score, 50)
        # a user of both companies sees the figures of the current one
        both = new_test_user(self.env, login="rep_both", groups="social_crm.social_crm_group_user",
                             company_id=main.id, company_ids=[main.id, other.id])
        self.assertEqual(self.ann.with_user(both).social_reputation_evidence, 2)
        self.assertEqual(self.ann.with_user(both).with_company(other).social_reputation_evidence, 4)
        # the figures of one company are those that company's mentions alone give
        prior = self.Partner._social_reputation_prior()
        own = self.Partner._social_reputation_aggregates(prior["ref"], prior["half_life"], self.ann.ids)
        self.assertEqual(set(own[self.ann.id]), {main.id, other.id})
        self.assertEqual(own[self.ann.id][main.id][3], 2)
