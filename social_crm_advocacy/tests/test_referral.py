from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import AdvocacyCommon


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyReferral(AdvocacyCommon):
    """Confirming a referred order scores once; cancelling reverses; the balance stays the ledger sum."""

    def _referral_actions(self, order):
        return self.env["social.advocacy.action"].search([("sale_order_id", "=", order.id)], order="id")

    def test_confirm_cancel_reconfirm_keeps_ledger_consistent(self):
        order = self._order(self.bob, referrer=self.ann)
        order.action_confirm()
        self.assertEqual(self.ann.advocacy_balance, 200)
        self.assertEqual(self.ann.advocacy_points, 200)
        order._advocacy_award_referrals()  # confirming twice (e.g. a retried RPC) scores nothing more
        self.assertEqual(self.ann.advocacy_balance, 200)

        order._action_cancel()
        self.assertEqual(self.ann.advocacy_balance, 0)
        order._action_cancel()
        self.assertEqual(self.ann.advocacy_balance, 0, "cancelling twice reverses once")

        order.action_draft()
        order.action_confirm()
        self.assertEqual(self.ann.advocacy_balance, 200, "confirmed again: awarded again, once")
        order._action_cancel()
        order.action_draft()
        order.action_confirm()

        actions = self._referral_actions(order)
        self.assertEqual(actions.mapped("action_type"), ["referral"] + ["reversal"] * 4)
        self.assertEqual(actions.mapped("points"), [200, -200, 200, -200, 200])
        self.assertEqual(self.ann.advocacy_balance, sum(actions.mapped("points")))
        self.assertEqual(self.ann.advocacy_balance, self._ledger_sum(self.ann))
        self.assertEqual(self.ann.advocacy_points, 200)

    def test_unreferred_or_draft_orders_score_nothing(self):
        plain = self._order(self.bob)
        plain.action_confirm()
        draft = self._order(self.carl, referrer=self.ann)
        draft._advocacy_award_referrals()
        self.assertFalse(self.env["social.advocacy.action"].search([("sale_order_id", "in", (plain | draft).ids)]))

    def test_referrer_locked_once_scored(self):
        order = self._order(self.bob, referrer=self.ann)
        order.advocacy_referrer_id = self.carl  # not scored yet: free to change
        order.action_confirm()
        with self.assertRaisesRegex(UserError, "the referrer cannot change"), self.env.cr.savepoint():
            order.advocacy_referrer_id = self.ann
        self.assertEqual(order.advocacy_referrer_id, self.carl)

    def test_referral_code_fills_referrer(self):
        self.ann._advocacy_ensure_referral_code()
        code = self.ann.advocacy_referral_code
        self.assertRegex(code, r"^[2-9A-HJKMNP-Z]{8}$")
        order = self._order(self.bob, advocacy_referral_code=f" {code.lower()} ")
        self.assertEqual(order.advocacy_referrer_id, self.ann)
        self.assertEqual(order.advocacy_referral_code, code)
        with self.assertRaisesRegex(ValidationError, "No advocate has the referral code NOPE"), \
                self.env.cr.savepoint():
            self._order(self.carl, advocacy_referral_code="NOPE")
        with Form(self.env["sale.order"]) as form:
            form.partner_id = self.carl
            form.advocacy_referral_code = code
            self.assertEqual(form.advocacy_referrer_id, self.ann)

    def test_referral_codes_unique(self):
        partners = self.env["res.partner"].create([{"name": f"Advocate {i}"} for i in range(50)])
        partners._advocacy_ensure_referral_code()
        codes = partners.mapped("advocacy_referral_code")
        self.assertEqual(len(set(codes)), 50)

    def test_lead_passes_referrer_to_quotation(self):
        lead = self.env["crm.lead"].create({
            "name": "Bob wants phones", "type": "opportunity", "partner_id": self.bob.id,
            "advocacy_referrer_id": self.ann.id})
        context = lead._prepare_opportunity_quotation_context()
        self.assertEqual(context["default_advocacy_referrer_id"], self.ann.id)
        order = self.env["sale.order"].with_context(**context).create({"partner_id": self.bob.id})
        self.assertEqual(order.advocacy_referrer_id, self.ann)
        self.assertEqual(order.opportunity_id, lead)

    def test_merging_contacts_keeps_codes_unique(self):
        duplicate = self.env["res.partner"].create({"name": "Ann Advocate (2)", "email": self.ann.email})
        duplicate._advocacy_ensure_referral_code()
        code = duplicate.advocacy_referral_code
        self.assertTrue(code)
        self.carl.advocacy_referral_code = False
        carl_dup = self.env["res.partner"].create({"name": "Carl (2)", "email": self.carl.email})
        carl_dup._advocacy_ensure_referral_code()
        carl_code = carl_dup.advocacy_referral_code
        wizard = self.env["base.partner.merge.automatic.wizard"]
        wizard._merge((duplicate | self.ann).ids, self.ann)
        self.assertFalse(duplicate.exists())
        self.assertTrue(self.ann.advocacy_referral_code, "Ann keeps a code")
        wizard._merge((carl_dup | self.carl).ids, self.carl)
        self.assertEqual(self.carl.advocacy_referral_code, carl_code, "the code given to friends still works")
        order = self._order(self.bob, advocacy_referral_code=carl_code)
        self.assertEqual(order.advocacy_referrer_id, self.carl)
