import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import AdvocacyCommon


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyLedger(AdvocacyCommon):
    """The ledger is append-only, double scoring is impossible in SQL, the balance is the sum."""

    def _manual(self, partner, points=10, **vals):
        return self.env["social.advocacy.action"].create(
            {"partner_id": partner.id, "action_type": "manual", "points": points, **vals})

    def test_balance_is_sum_and_points_refreshed(self):
        self._manual(self.ann, 30)
        self._manual(self.ann, 20)
        self.assertEqual(self.ann.advocacy_balance, 50)
        self.assertEqual(self.ann.advocacy_points, 50, "rolling points are refreshed when actions are recorded")
        self.assertTrue(self.ann.advocacy_referral_code, "an advocate gets a referral code")

    def test_actions_not_editable_except_note(self):
        action = self._manual(self.ann, 10)
        action.note = "Great talk at the meetup"
        self.assertEqual(action.note, "Great talk at the meetup")
        with self.assertRaisesRegex(UserError, "cannot be changed once recorded"), self.env.cr.savepoint():
            action.points = 1000
        with self.assertRaises(UserError):
            action.partner_id = self.bob
        self.assertEqual(action.points, 10)

    def test_unlink_only_manual_by_manager(self):
        manual = self._manual(self.ann, 10)
        reversed_manual = self._manual(self.ann, 5)
        reversed_manual._reverse()
        mention = self._mention(self.bob, "q1")
        answer = self.env["social.advocacy.action"].create({
            "partner_id": self.ann.id, "action_type": "community_answer", "points": 15, "mention_id": mention.id})
        with self.assertRaisesRegex(UserError, "Only manual actions"), self.env.cr.savepoint():
            answer.unlink()
        with self.assertRaisesRegex(UserError, "Only manual actions"), self.env.cr.savepoint():
            reversed_manual.unlink()
        user = new_test_user(self.env, login="adv_ledger_user", groups="social_crm.social_crm_group_user")
        with self.assertRaises(AccessError):
            manual.with_user(user).unlink()
        self.assertEqual(manual.with_user(user).points, 10, "users read the ledger")
        manager = new_test_user(self.env, login="adv_ledger_mgr", groups="social_crm.social_crm_group_manager")
        manual.with_user(manager).unlink()
        self.assertFalse(manual.exists())

    def test_sql_forbids_double_scoring_of_a_mention(self):
        mention = self._mention(self.bob, "q2")
        vals = {"partner_id": self.ann.id, "action_type": "positive_mention", "points": 5, "mention_id": mention.id}
        self.env["social.advocacy.action"].create(vals)
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["social.advocacy.action"].create(vals)

    def test_sql_forbids_two_referrals_and_two_reversals(self):
        order = self._order(self.bob)
        vals = {"partner_id": self.ann.id, "action_type": "referral", "points": 100, "sale_order_id": order.id}
        first = self.env["social.advocacy.action"].create(vals)
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["social.advocacy.action"].create(vals)
        first._reverse()
        with self.assertRaisesRegex(UserError, "already reversed"), self.env.cr.savepoint():
            first._reverse()
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["social.advocacy.action"].create({
                "partner_id": self.ann.id, "action_type": "reversal", "points": -100, "reversed_action_id": first.id})
        self.assertEqual(self._ledger_sum(self.ann), 0)

    def test_sign_and_reversal_checks(self):
        with self.assertRaisesRegex(ValidationError, "must be negative"), self.env.cr.savepoint():
            self.env["social.advocacy.action"].create(
                {"partner_id": self.ann.id, "action_type": "redemption", "points": 10})
        with self.assertRaisesRegex(ValidationError, "not a positive number"), self.env.cr.savepoint():
            self._manual(self.ann, -10)
        origin = self._manual(self.ann, 40)
        with self.assertRaisesRegex(ValidationError, "cancel exactly the 40 points"), self.env.cr.savepoint():
            self.env["social.advocacy.action"].create({
                "partner_id": self.ann.id, "action_type": "reversal", "points": -400,
                "reversed_action_id": origin.id})
        reversal = origin._reverse()
        self.assertEqual(reversal.points, -40)
        self.assertEqual(self.ann.advocacy_balance, 0)

    def test_actions_recorded_in_bulk_are_checked(self):
        """The rules' awards are stored with one COPY (``_record``): the checks of ``create`` run on them."""
        Action = self.env["social.advocacy.action"]
        origin = self._manual(self.bob, 40)
        base = {"partner_id": self.bob.id, "date": origin.date, "mention_id": False, "sale_order_id": False,
                "rule_id": False, "company_id": self.env.company.id, "note": False, "reversed_action_id": False}
        for vals, message in (
            ({"action_type": "reversal", "points": -4, "reversed_action_id": origin.id},
             "cancel exactly the 40 points"),
            ({"action_type": "reversal", "points": -40, "reversed_action_id": origin.id, "partner_id": self.ann.id},
             "for the same advocate"),
            ({"action_type": "share", "points": -5}, "not a positive number"),
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                Action._record([{**base, **vals}])
        self.assertEqual(Action.search([("partner_id", "in", (self.ann | self.bob).ids)]), origin)
        recorded = Action._record([{**base, "action_type": "reversal", "points": -40, "reversed_action_id": origin.id}])
        self.assertEqual((recorded.points, self.bob.advocacy_balance), (-40, 0))

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "Advocacy Other Co"})
        here = self._manual(self.ann, 10)
        there = self._manual(self.ann, 20, company_id=other.id)
        user = new_test_user(self.env, login="adv_mc_user", groups="social_crm.social_crm_group_user",
                             company_id=self.env.company.id, company_ids=[(6, 0, self.env.company.ids)])
        visible = self.env["social.advocacy.action"].with_user(user).search([("partner_id", "=", self.ann.id)])
        self.assertEqual(visible, here)
        self.assertNotIn(there, visible)
        self.assertEqual(self.ann.advocacy_balance, 10, "the balance counts the current company's actions")
        self.assertEqual(self.ann.with_company(other).advocacy_balance, 20)
