from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import AdvocacyCommon


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyCoupon(AdvocacyCommon):
    """A reward with a coupon programme issues a real loyalty coupon when its redemption is approved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.advocacy.action"].create(
            {"partner_id": cls.ann.id, "action_type": "manual", "points": 500})
        cls.program = cls.env["loyalty.program"].create({"name": "Advocate 10% off", "program_type": "coupons"})
        cls.coupon_reward, cls.gift_reward = cls.env["social.advocacy.reward"].create([
            {"name": "10% coupon", "reward_type": "coupon", "points_cost": 100,
             "loyalty_program_id": cls.program.id, "loyalty_points": 2},
            {"name": "Acme mug", "reward_type": "gift", "points_cost": 50},
        ])
        cls.user = new_test_user(cls.env, login="adv_cpn_user", groups="social_crm.social_crm_group_user")
        cls.manager = new_test_user(cls.env, login="adv_cpn_mgr", groups="social_crm.social_crm_group_manager")

    def _request(self, reward):
        return self.env["social.advocacy.redemption"].with_user(self.user).create(
            {"partner_id": self.ann.id, "reward_id": reward.id})

    def test_approval_issues_a_coupon(self):
        Card = self.env["loyalty.card"]
        before = Card.search_count([("partner_id", "=", self.ann.id)])
        coupon_request, gift_request = self._request(self.coupon_reward), self._request(self.gift_reward)
        self.assertFalse(coupon_request.coupon_id)
        (coupon_request | gift_request).with_user(self.manager).action_approve()
        card = coupon_request.coupon_id
        self.assertTrue(card, "the coupon reward must issue a loyalty card")
        self.assertEqual((card.program_id, card.partner_id, card.points), (self.program, self.ann, 2.0))
        self.assertTrue(card.code)
        self.assertFalse(gift_request.coupon_id, "a reward without programme issues no coupon")
        self.assertEqual(Card.search_count([("partner_id", "=", self.ann.id)]), before + 1)
        self.assertEqual(coupon_request.action_id.points, -100)
        self.assertEqual(self.ann.advocacy_balance, 350)
        # A Social CRM user sees the advocate's coupons on the contact, through the redemptions.
        partner_as_user = self.ann.with_user(self.user)
        self.assertEqual(partner_as_user.advocacy_coupon_redemption_ids, coupon_request)
        [row] = partner_as_user.advocacy_coupon_redemption_ids.read(
            ["coupon_code", "coupon_program_id", "coupon_value", "coupon_expiration_date"])
        self.assertEqual(row["coupon_code"], card.code)
        self.assertEqual(row["coupon_program_id"], (self.program.id, self.program.display_name))
        self.assertEqual(row["coupon_value"], card.points_display)
        self.assertFalse(row["coupon_expiration_date"])

    def test_users_read_coupons_only_through_their_redemptions(self):
        own = self._request(self.coupon_reward)
        own.with_user(self.manager).action_approve()
        other_company = self.env["res.company"].create({"name": "Other advocacy company"})
        self.env["social.advocacy.action"].create(  # points are spent where they were earned
            {"partner_id": self.ann.id, "action_type": "manual", "points": 100, "company_id": other_company.id})
        other_reward = self.coupon_reward.copy({"company_id": other_company.id})
        other = self.env["social.advocacy.redemption"].create(
            {"partner_id": self.ann.id, "reward_id": other_reward.id, "company_id": other_company.id})
        other.action_approve()
        stray = self.env["loyalty.card"].create({"program_id": self.program.id, "points": 50})
        Card = self.env["loyalty.card"].with_user(self.user)
        for operation in (lambda: Card.search([]), lambda: Card.browse(stray.id).read(["code"]),
                          lambda: Card.browse(own.coupon_id.id).read(["code", "points"]),
                          lambda: Card.search_read([], ["code"]),
                          lambda: self.env["loyalty.program"].with_user(self.user).search([])):
            with self.assertRaises(AccessError):
                operation()
        Redemption = self.env["social.advocacy.redemption"].with_user(self.user)
        # (the demo's coupons of other advocates aside)
        rows = Redemption.search_read([("coupon_id", "!=", False), ("partner_id", "=", self.ann.id)], ["coupon_code"])
        self.assertEqual(rows, [{"id": own.id, "coupon_code": own.coupon_id.code}],
                         "another company's redemption and its coupon stay hidden")
        self.user.groups_id |= self.env.ref("base.group_allow_export")
        exported = Redemption.search(
            [("coupon_id", "!=", False), ("partner_id", "=", self.ann.id)]).export_data(["coupon_code"])["datas"]
        self.assertEqual(exported, [[own.coupon_id.code]])
        self.assertEqual(self.ann.with_user(self.user).advocacy_coupon_redemption_ids, own)

    def test_refusal_issues_nothing(self):
        redemption = self._request(self.coupon_reward)
        redemption.with_user(self.manager).action_refuse()
        self.assertFalse(redemption.coupon_id)
        self.assertFalse(self.ann.advocacy_coupon_redemption_ids)

    def test_unaffordable_coupon_is_not_issued(self):
        redemption = self._request(self.coupon_reward)
        self.env["social.advocacy.action"].create(
            {"partner_id": self.ann.id, "action_type": "redemption", "points": -450})
        with self.assertRaisesRegex(UserError, "not enough"):
            redemption.with_user(self.manager).action_approve()
        self.assertFalse(self.env["loyalty.card"].search([("program_id", "=", self.program.id)]))

    def test_coupon_value_must_be_positive(self):
        with self.assertRaisesRegex(ValidationError, "coupon value must be positive"):
            self.coupon_reward.loyalty_points = 0
