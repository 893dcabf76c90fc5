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


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyRedemptionFlow(AdvocacyCommon):
    """A request reaches whoever approves it, the advocate hears of the approval, delivery closes it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.advocacy.action"].create([
            {"partner_id": partner.id, "action_type": "manual", "points": 500} for partner in (cls.ann, cls.bob)])
        cls.reward = cls.env["social.advocacy.reward"].create(
            {"name": "Flow hoodie", "reward_type": "gift", "points_cost": 300})
        cls.user = new_test_user(cls.env, login="adv_flow_user", groups="social_crm.social_crm_group_user")
        cls.salesperson = new_test_user(cls.env, login="adv_flow_sales", name="Flow Salesperson",
                                        groups="sales_team.group_sale_salesman")
        cls.manager = new_test_user(cls.env, login="adv_flow_mgr", name="Flow Manager",
                                    groups="social_crm.social_crm_group_manager")
        other_company = cls.env["res.company"].create({"name": "Flow Elsewhere Co"})
        cls.manager_elsewhere = new_test_user(
            cls.env, login="adv_flow_mgr_other", groups="social_crm.social_crm_group_manager",
            company_id=other_company.id, company_ids=[other_company.id])

    def _request(self, partner=None):
        return self.env["social.advocacy.redemption"].with_user(self.user).create(
            {"partner_id": (partner or self.ann).id, "reward_id": self.reward.id})

    def _notes(self, redemption):
        return redemption.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_note") and m.partner_ids)

    def test_request_notifies_the_managers_and_the_salesperson(self):
        self.ann.user_id = self.salesperson
        redemption = self._request()
        note = self._notes(redemption)
        self.assertEqual(len(note), 1)
        self.assertIn("Flow hoodie", note.body)
        told = note.notification_ids.res_partner_id
        self.assertIn(self.manager.partner_id, told, "the managers of the company approve")
        self.assertIn(self.salesperson.partner_id, told, "the salesperson is told too")
        self.assertNotIn(self.manager_elsewhere.partner_id, told, "not the managers of another company")
        self.assertNotIn(self.user.partner_id, told, "not the requester")
        self.assertFalse(redemption.activity_ids)

    def test_salesperson_who_approves_gets_a_todo_closed_by_the_decision(self):
        self.ann.user_id = self.manager
        redemption = self._request()
        activity = redemption.activity_ids
        self.assertEqual((activity.user_id, activity.activity_type_id),
                         (self.manager, self.env.ref("mail.mail_activity_data_todo")))
        self.assertIn("Flow hoodie", activity.summary)
        self.assertFalse(self._notes(redemption), "the salesperson approves: nobody else is disturbed")
        redemption.with_user(self.manager).action_approve()
        self.assertFalse(redemption.activity_ids, "approving closes the to-do")
        self.assertTrue(redemption.message_ids.filtered(lambda m: "Approved by Flow Manager" in (m.body or "")))
        self.bob.user_id = self.manager
        refused = self._request(self.bob)
        refused.with_user(self.manager).action_refuse()
        self.assertFalse(refused.activity_ids)

    def test_approval_emails_the_advocate(self):
        redemption = self._request()
        redemption.with_user(self.manager).action_approve()
        mail = redemption.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_comment"))
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.partner_ids, self.ann)
        self.assertIn("Flow hoodie", mail.subject)
        self.assertIn("200", mail.body, "the points left")
        notification = mail.notification_ids.filtered(lambda n: n.res_partner_id == self.ann)
        self.assertEqual(notification.notification_type, "email")

    def test_advocate_without_email_is_called(self):
        self.bob.email = False
        self.bob.user_id = self.salesperson
        redemption = self._request(self.bob)
        redemption.with_user(self.manager).action_approve()
        self.assertFalse(redemption.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_comment")))
        call = redemption.activity_ids
        self.assertEqual((call.user_id, call.activity_type_id),
                         (self.salesperson, self.env.ref("mail.mail_activity_data_call")))

    def test_delivered_after_approved(self):
        redemption = self._request()
        with self.assertRaisesRegex(UserError, "Only approved"), self.env.cr.savepoint():
            redemption.with_user(self.user).action_deliver()
        redemption.with_user(self.manager).action_approve()
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            redemption.with_user(self.user).write({"state": "delivered"})
        redemption.with_user(self.user).action_deliver()
        self.assertEqual((redemption.state, redemption.delivered_by_id), ("delivered", self.user))
        self.assertTrue(redemption.delivered_date)
        self.assertEqual(self.ann.advocacy_balance, 200, "delivery spends nothing more")
        with self.assertRaisesRegex(UserError, "Only approved"), self.env.cr.savepoint():
            redemption.with_user(self.user).action_deliver()

