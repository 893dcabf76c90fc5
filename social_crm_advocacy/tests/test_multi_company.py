from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import AdvocacyCommon


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyPerCompany(AdvocacyCommon):
    """A contact is shared by two companies; its points, tier and balance are each company's own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Advocacy Company B"})
        cls.silver = cls.env["social.advocacy.tier"].create({"name": "Per-company Silver", "min_points": 100})
        Action = cls.env["social.advocacy.action"]
        cls.earned_a = Action.create(
            {"partner_id": cls.ann.id, "action_type": "manual", "points": 300, "company_id": cls.company_a.id})
        cls.earned_b = Action.create(
            {"partner_id": cls.ann.id, "action_type": "manual", "points": 50, "company_id": cls.company_b.id})
        cls.users, cls.managers = {}, {}
        for key, company in (("a", cls.company_a), ("b", cls.company_b)):
            cls.users[key] = new_test_user(
                cls.env, login=f"adv_mc_{key}_user", groups="social_crm.social_crm_group_user",
                company_id=company.id, company_ids=[company.id])
            cls.managers[key] = new_test_user(
                cls.env, login=f"adv_mc_{key}_mgr", groups="social_crm.social_crm_group_manager",
                company_id=company.id, company_ids=[company.id])
        cls.reward_a, cls.reward_b, cls.reward_shared = cls.env["social.advocacy.reward"].create([
            {"name": "Mug of A", "points_cost": 250, "company_id": cls.company_a.id},
            {"name": "Cap of B", "points_cost": 100, "company_id": cls.company_b.id},
            {"name": "Sticker", "points_cost": 40, "company_id": False},
        ])

    def figures(self, user, partner=None):
        partner = (partner or self.ann).with_user(user)
        return partner.advocacy_balance, partner.advocacy_points, partner.advocacy_tier_id.id

    def request(self, key, reward, partner=None):
        return self.env["social.advocacy.redemption"].with_user(self.users[key]).create(
            {"partner_id": (partner or self.ann).id, "reward_id": reward.id})

    def test_each_company_sees_its_own_points(self):
        self.assertEqual(self.figures(self.users["a"]), (300, 300, self.silver.id))
        self.assertEqual(self.figures(self.users["b"]), (50, 50, False))
        # one standing per company, each seen by its company only
        Standing = self.env["social.advocacy.standing"]
        self.assertEqual(sorted(Standing.search([("partner_id", "=", self.ann.id)]).mapped(
            lambda s: (s.company_id.id, s.points, s.tier_id.id))),
            sorted([(self.company_a.id, 300, self.silver.id), (self.company_b.id, 50, False)]))
        for key, company in (("a", self.company_a), ("b", self.company_b)):
            with self.subTest(company=key):
                seen = Standing.with_user(self.users[key]).search([("partner_id", "=", self.ann.id)])
                self.assertEqual(seen.company_id, company)
                history = self.env["social.advocacy.tier.history"].with_user(self.users[key]).search(
                    [("partner_id", "=", self.ann.id)])
                self.assertEqual(history.mapped("tier_id.id"), [self.silver.id] if key == "a" else [])
                self.assertEqual(self.ann.with_user(self.users[key]).advocacy_action_count, 1)
        # a user of both companies sees the figures of the company they work in
        both = new_test_user(self.env, login="adv_mc_both", groups="social_crm.social_crm_group_user",
                             company_id=self.company_a.id, company_ids=[self.company_a.id, self.company_b.id])
        self.assertEqual(self.ann.with_user(both).with_company(self.company_b).advocacy_balance, 50)
        self.assertEqual(self.ann.with_user(both).with_company(self.company_a).advocacy_balance, 300)

    def test_searches_follow_the_current_company(self):
        Partner = self.env["res.partner"]
        people = [("id", "in", (self.ann | self.bob).ids)]
        for key, silver, positive, none in (("a", self.ann, self.ann, self.bob), ("b", Partner, self.ann, self.bob)):
            as_user = Partner.with_user(self.users[key])
            with self.subTest(company=key):
                self.assertEqual(as_user.search(people + [("advocacy_tier_id", "=", self.silver.id)]), silver)
                self.assertEqual(as_user.search(people + [("advocacy_points", ">", 0)]), positive)
                self.assertEqual(as_user.search(people + [("advocacy_points", "=", 0)]), none)
                self.assertEqual(as_user.search(people + [("advocacy_points", ">=", 100)]), silver)
                self.assertEqual(as_user.search(people + [("advocacy_tier_id", "=", False)]),
                                 (self.ann | self.bob) - silver)

    def test_redemptions_spend_their_own_company_points(self):
        with self.assertRaisesRegex(UserError, "has 50 points with Advocacy Company B: not enough for 100"), \
                self.env.cr.savepoint():
            self.request("b", self.reward_b)
        sticker = self.request("b", self.reward_shared)
        self.assertEqual((sticker.company_id, sticker.with_user(self.users["b"]).partner_balance),
                         (self.company_b, 50))
        sticker.with_user(self.managers["b"]).action_approve()
        self.assertEqual((sticker.action_id.company_id, sticker.action_id.points), (self.company_b, -40))
        self.assertEqual(self.figures(self.users["b"]), (10, 50, False), "spent: the balance, not the points earned")
        self.assertEqual(self.figures(self.users["a"]), (300, 300, self.silver.id), "A's points untouched")
        # company A's user spends A's points, invisible to B; the tier earned stays
        mug = self.request("a", self.reward_a)
        mug.with_user(self.managers["a"]).action_approve()
        self.assertEqual(self.figures(self.users["a"]), (50, 300, self.silver.id))
        self.assertEqual(self.figures(self.users["b"]), (10, 50, False))
        Redemption = self.env["social.advocacy.redemption"]
        self.assertEqual(Redemption.with_user(self.users["b"]).search([("partner_id", "=", self.ann.id)]), sticker)
        self.assertEqual(Redemption.with_user(self.users["a"]).search([("partner_id", "=", self.ann.id)]), mug)
        # a second mug would need A's points: 50 are left there, B's 10 do not add up
        with self.assertRaisesRegex(UserError, "has 50 points with .*: not enough for 250"), self.env.cr.savepoint():
            self.request("a", self.reward_a)

    def test_approval_checks_the_balance_of_the_redemption_company(self):
        # each requested while affordable in A; by approval, A's points went on the others
        first, second, third = (self.request("a", reward)
                                for reward in (self.reward_a, self.reward_shared, self.reward_shared))
        first.with_user(self.managers["a"]).action_approve()
        self.assertEqual(self.figures(self.users["a"])[0], 50)
        second.with_user(self.managers["a"]).action_approve()
        self.assertEqual(self.figures(self.users["a"])[0], 10)
        with self.assertRaisesRegex(UserError, "has 10 points with .*: not enough for 40"), self.env.cr.savepoint():
            third.with_user(self.managers["a"]).action_approve()
        self.assertEqual(third.state, "requested")
        self.assertEqual(self.figures(self.users["b"])[0], 50)

    def test_a_redemption_rewards_with_its_own_company_catalogue(self):
        with self.assertRaisesRegex(UserError, "Incompatible companies"), self.env.cr.savepoint():
            self.env["social.advocacy.redemption"].create({
                "partner_id": self.ann.id, "reward_id": self.reward_a.id, "company_id": self.company_b.id})
        with self.assertRaises(UserError), self.env.cr.savepoint():  # nor by a user of the other company
            self.request("b", self.reward_a)

    def test_reversals_stay_in_the_company_of_their_action(self):
        reversal = self.earned_a._reverse()
        self.assertEqual((reversal.company_id, reversal.points), (self.company_a, -300))
        self.assertEqual(self.figures(self.users["a"]), (0, 0, False))
        self.assertEqual(self.figures(self.users["b"]), (50, 50, False))
        with self.assertRaisesRegex(ValidationError, "for the same advocate and company"), self.env.cr.savepoint():
            self.env["social.advocacy.action"].create({
                "partner_id": self.ann.id, "action_type": "reversal", "points": -50,
                "reversed_action_id": self.earned_b.id, "company_id": self.company_a.id})
        # the ledger adds up, company by company
        for company in (self.company_a, self.company_b):
            actions = self.env["social.advocacy.action"].search(
                [("partner_id", "=", self.ann.id), ("company_id", "=", company.id)])
            self.assertEqual(self.ann.with_company(company).advocacy_balance, sum(actions.mapped("points")))

    def test_export_gives_each_company_figures(self):
        data = self.ann.sudo()._social_export_data()["advocacy"]
        self.assertEqual(data["companies"], [
            {"company": self.company_a.name, "points_12_months": 300, "tier": "Per-company Silver", "balance": 300},
            {"company": self.company_b.name, "points_12_months": 50, "tier": None, "balance": 50},
        ])
