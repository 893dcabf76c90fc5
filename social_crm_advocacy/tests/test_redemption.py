from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import AdvocacyCommon


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyRedemption(AdvocacyCommon):
    """Points are spent on rewards with a manager's approval; the balance never goes negative."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.advocacy.action"].create(
            {"partner_id": cls.ann.id, "action_type": "manual", "points": 500})
        cls.reward = cls.env["social.advocacy.reward"].create(
            {"name": "Acme hoodie", "reward_type": "gift", "points_cost": 300})
        cls.user = new_test_user(cls.env, login="adv_red_user", groups="social_crm.social_crm_group_user")
        cls.manager = new_test_user(cls.env, login="adv_red_mgr", groups="social_crm.social_crm_group_manager")

    def _request(self, partner=None, user=None):
        Redemption = self.env["social.advocacy.redemption"].with_user(user or self.user)
        return Redemption.create({"partner_id": (partner or self.ann).id, "reward_id": self.reward.id})

    def test_approval_debits_the_ledger(self):
        redemption = self._request()
        self.assertEqual((redemption.state, redemption.points), ("requested", 300))
        with self.assertRaises(AccessError):
            redemption.action_approve()
        with self.assertRaises(AccessError):
            redemption.write({"state": "approved"})
        redemption.with_user(self.manager).action_approve()
        self.assertEqual(redemption.state, "approved")
        self.assertEqual(redemption.approved_by_id, self.manager)
        self.assertEqual(redemption.action_id.points, -300)
        self.assertEqual(redemption.action_id.action_type, "redemption")
        self.assertEqual(self.ann.advocacy_balance, 200)
        self.assertEqual(self.ann.advocacy_balance, self._ledger_sum(self.ann))
        with self.assertRaisesRegex(UserError, "Only requested"), self.env.cr.savepoint():
            redemption.with_user(self.manager).action_refuse()

    def test_beyond_balance_refused(self):
        with self.assertRaisesRegex(UserError, "Bob Buyer has 0 points with .*: not enough for 300"), \
                self.env.cr.savepoint():
            self._request(self.bob)
        first, second = self._request(), self._request()  # each affordable alone
        with self.assertRaisesRegex(UserError, "has 500 points with .*: not enough for 600"), self.env.cr.savepoint():
            (first | second).with_user(self.manager).action_approve()
        self.assertEqual(self.ann.advocacy_balance, 500, "nothing approved, nothing debited")
        first.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, "has 200 points with .*: not enough for 300"), self.env.cr.savepoint():
            second.with_user(self.manager).action_approve()
        second.with_user(self.manager).action_refuse()
        self.assertEqual(second.state, "refused")
        self.assertEqual(self.ann.advocacy_balance, 200)
        self.assertGreaterEqual(self.ann.advocacy_balance, 0)

    def test_reward_cost_validation(self):
        for cost in (0, -10, 10_001):
            with self.subTest(cost=cost), self.assertRaisesRegex(ValidationError, "the cost must be between 1"), \
                    self.env.cr.savepoint():
                self.env["social.advocacy.reward"].create({"name": "Bad", "points_cost": cost})
