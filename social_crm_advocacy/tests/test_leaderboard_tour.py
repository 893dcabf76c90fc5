from datetime import date, timedelta

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestLeaderboardTour(HttpCase):
    """In a real browser: the leaderboard ranks the points earned over 30 days, or says it is empty."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, login="tour_lb_manager", name="Tour Leaderboard Manager",
                                    groups="social_crm.social_crm_group_manager,sales_team.group_sale_salesman")
        leader, runner_up = cls.env["res.partner"].create([{"name": "Tour Leader"}, {"name": "Tour Runner-up"}])
        Action = cls.env["social.advocacy.action"]
        Action.create([
            {"partner_id": leader.id, "action_type": "manual", "points": 9000,
             "date": date.today() - timedelta(days=40)},
            {"partner_id": leader.id, "action_type": "manual", "points": 900, "date": date.today()},
            {"partner_id": runner_up.id, "action_type": "manual", "points": 800, "date": date.today()},
        ])
        reward = cls.env["social.advocacy.reward"].create(
            {"name": "Tour leaderboard trip", "reward_type": "experience", "points_cost": 9500})
        cls.redemption = cls.env["social.advocacy.redemption"].create({"partner_id": leader.id, "reward_id": reward.id})
        cls.redemption.action_approve()
        cls.leader = leader

    def test_leaderboard_tour(self):
        self.assertEqual(self.leader.advocacy_balance, 400, "less than the runner-up's 800")
        self.start_tour("/odoo", "social_crm_advocacy_leaderboard_tour", login="tour_lb_manager", timeout=180)

    def test_empty_leaderboard_tour(self):
        company = self.env["res.company"].create({"name": "Tour Programme Starting Co"})
        new_test_user(self.env, login="tour_lb_empty", name="Tour Empty Leaderboard", company_id=company.id,
                      company_ids=[company.id],
                      groups="social_crm.social_crm_group_user,sales_team.group_sale_salesman")
        self.start_tour("/odoo/action-social_crm_advocacy.social_advocacy_standing_action_leaderboard",
                        "social_crm_advocacy_leaderboard_empty_tour", login="tour_lb_empty", timeout=180)
