from odoo.tests import HttpCase, new_test_user, tagged


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestRedemptionTour(HttpCase):
    """In a real browser: a manager approves a redemption, delivers it, and the coupon shows on the advocate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="tour_adv_manager", name="Tour Advocacy Manager",
                                    groups="social_crm.social_crm_group_manager,sales_team.group_sale_salesman")
        cls.advocate = cls.env["res.partner"].create({"name": "Tour Advocate", "email": "tour.advocate@example.com"})
        cls.env["social.advocacy.action"].create(
            {"partner_id": cls.advocate.id, "action_type": "manual", "points": 400})
        cls.program = cls.env["loyalty.program"].create({"name": "Tour advocate coupons", "program_type": "coupons"})
        reward = cls.env["social.advocacy.reward"].create({
            "name": "Tour 15% coupon", "reward_type": "coupon", "points_cost": 250,
            "loyalty_program_id": cls.program.id})
        cls.redemption = cls.env["social.advocacy.redemption"].create(
            {"partner_id": cls.advocate.id, "reward_id": reward.id})

    def test_redemption_tour(self):
        self.assertEqual(self.redemption.state, "requested")
        self.start_tour("/odoo", "social_crm_advocacy_redemption_tour",
                        login="tour_adv_manager", timeout=180)
        self.assertEqual(self.redemption.state, "delivered")
        self.assertEqual((self.redemption.approved_by_id, self.redemption.delivered_by_id),
                         (self.manager, self.manager))
        told = self.redemption.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_comment"))
        self.assertEqual(told.partner_ids, self.advocate, "the advocate was e-mailed the approval")
        coupon = self.redemption.coupon_id
        self.assertEqual((coupon.program_id, coupon.partner_id), (self.program, self.advocate))
        self.assertEqual(self.redemption.action_id.points, -250)
        self.assertEqual(self.advocate.advocacy_balance, 150)
        self.assertEqual(self.advocate.advocacy_coupon_redemption_ids.coupon_id, coupon)
