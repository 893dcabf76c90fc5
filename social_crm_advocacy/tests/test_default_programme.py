from datetime import datetime

from odoo.modules.module import get_manifest
from odoo.tests import tagged

from odoo.addons.social_crm.tests.common import SocialCrmCase

PROGRAMME = "data/social_advocacy_programme_data.xml"
TIERS = ("social_advocacy_tier_bronze", "social_advocacy_tier_silver", "social_advocacy_tier_gold")
RULES = ("social_advocacy_rule_positive_mention", "social_advocacy_rule_review",
         "social_advocacy_rule_community_answer",
         "social_advocacy_rule_share", "social_advocacy_rule_ugc", "social_advocacy_rule_referral")
REWARDS = ("social_advocacy_reward_coupon", "social_advocacy_reward_gift", "social_advocacy_reward_preview")


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestDefaultProgramme(SocialCrmCase):
    """The programme works out of the box: rules, tiers and rewards are data, not demo."""

    def _records(self, names):
        return [self.env.ref(f"social_crm_advocacy.{name}") for name in names]

    def test_installed_as_data_kept_on_update(self):
        manifest = get_manifest("social_crm_advocacy")
        self.assertIn(PROGRAMME, manifest["data"])
        self.assertNotIn(PROGRAMME, manifest["demo"])
        xmlids = self.env["ir.model.data"].search(
            [("module", "=", "social_crm_advocacy"), ("name", "in", (*TIERS, *RULES, *REWARDS))])
        self.assertEqual(len(xmlids), len(TIERS) + len(RULES) + len(REWARDS))
        self.assertEqual(set(xmlids.mapped("noupdate")), {True}, "an administrator's changes survive updates")
        rules = self._records(RULES)
        self.assertEqual({rule.action_type for rule in rules},
                         {"positive_mention", "review", "community_answer", "share", "ugc", "referral"},
                         "every kind of advocacy earns points")
        self.assertTrue(all(rule.active and not rule.company_id for rule in rules), "in every company")
        self.assertEqual([tier.min_points for tier in self._records(TIERS)], [100, 500, 1500])

    def test_default_rules_award_and_tiers_follow(self):
        partner = self.env["res.partner"].create({"name": "Default Programme Fan", "email": "fan.default@example.com"})
        source = self._create_source("Default programme source")
        if "sentiment_label" not in self.env["social.mention"]._fields:
            self.skipTest("social_crm_reputation does not score mentions yet")
        bodies = ["I love Acme, the best support ever! Great product, thank you."] * 4
        self._create_mentions(source, [{"body": body, "partner_id": partner.id, "lang": "en",
                                        "posted_at": datetime.now()} for body in bodies])
        actions = self.env["social.advocacy.action"].search([("partner_id", "=", partner.id)])
        rule = self.env.ref("social_crm_advocacy.social_advocacy_rule_positive_mention")
        self.assertEqual(actions.rule_id, rule)
        self.assertEqual(sum(actions.mapped("points")), 30, "10 points each, 3 a week at most")
        self.env["social.advocacy.action"].create(
            {"partner_id": partner.id, "action_type": "manual", "points": 70})
        self.assertEqual(partner.advocacy_tier_id, self.env.ref("social_crm_advocacy.social_advocacy_tier_bronze"))

    def test_default_coupon_reward_issues_a_coupon(self):
        reward = self.env.ref("social_crm_advocacy.social_advocacy_reward_coupon")
        self.assertEqual(reward.loyalty_program_id.program_type, "coupons")
        self.assertEqual(reward.loyalty_program_id.reward_ids.discount, 10)
        partner = self.env["res.partner"].create({"name": "Default Coupon Fan", "email": "coupon.default@example.com"})
        self.env["social.advocacy.action"].create({"partner_id": partner.id, "action_type": "manual", "points": 300})
        redemption = self.env["social.advocacy.redemption"].create({"partner_id": partner.id, "reward_id": reward.id})
        redemption.action_approve()
        self.assertEqual((redemption.coupon_id.partner_id, redemption.coupon_id.program_id),
                         (partner, reward.loyalty_program_id))
        for name in REWARDS:
            self.assertTrue(self.env.ref(f"social_crm_advocacy.{name}").active)
