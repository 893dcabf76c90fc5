from datetime import date, timedelta

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common import AdvocacyCommon


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyLeaderboard(AdvocacyCommon):
    """The leaderboard ranks the points earned over the last 30 days: redemptions never lower a rank."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a company of its own: ranks are counted among the company's advocates (the demo's are not)
        cls.company = cls.env["res.company"].create({"name": "Leaderboard Co"})
        cls.env.user.company_ids |= cls.company
        cls.reward = cls.env["social.advocacy.reward"].create(
            {"name": "Leaderboard hoodie", "reward_type": "gift", "points_cost": 300, "company_id": False})

    def _manual(self, partner, points, day):
        return self.env["social.advocacy.action"].create(
            {"partner_id": partner.id, "action_type": "manual", "points": points, "date": day,
             "company_id": self.company.id})

    def _board(self):
        """Our advocates as the Leaderboard menu lists them: its domain, its list's order."""
        action = self.env.ref("social_crm_advocacy.social_advocacy_standing_action_leaderboard")
        standings = self.env["social.advocacy.standing"].search(
            [*safe_eval(action.domain), ("company_id", "=", self.company.id)],
            order="leaderboard_points desc, points desc, id")
        return [(s.partner_id, s.leaderboard_points, s.leaderboard_rank) for s in standings]

    @freeze_time("2026-06-15")
    def test_rolling_thirty_days_and_ranks(self):
        self._manual(self.ann, 300, date(2026, 5, 10))  # 36 days ago: in the tier, not on the board
        self._manual(self.ann, 100, date(2026, 6, 15))
        self._manual(self.bob, 200, date(2026, 6, 5))
        self._manual(self.carl, 150, date(2026, 5, 17))  # 29 days ago: the window's first day
        self._manual(self.carl, 60, date(2026, 5, 16))  # 30 days ago: out
        self.assertEqual(self._board(), [(self.bob, 200, 1), (self.carl, 150, 2), (self.ann, 100, 3)])
        self.assertEqual(self.ann.with_company(self.company).advocacy_points, 400,
                         "the 12 months hold both of Ann's actions")
        self._manual(self.ann, 50, date(2026, 6, 14))
        self.assertEqual(self._board(), [(self.bob, 200, 1), (self.ann, 150, 2), (self.carl, 150, 2)],
                         "advocates with as many points share their place")

    def test_not_empty_on_the_first_of_the_month(self):
        with freeze_time("2026-06-20"):
            self._manual(self.ann, 120, date(2026, 6, 20))
        with freeze_time("2026-07-01"):
            self.env["social.advocacy.tier"]._cron_recompute_tiers()
            self.assertEqual(self._board(), [(self.ann, 120, 1)])
        with freeze_time("2026-07-20"):
            self.env["social.advocacy.tier"]._cron_recompute_tiers()
            self.assertEqual(self._board(), [], "the daily job takes out points older than 30 days")
            self.assertEqual(self.ann.with_company(self.company).advocacy_points, 120, "they still count for the tier")

    def test_redemption_never_lowers_a_rank(self):
        today = date.today()
        self._manual(self.ann, 500, today)
        self._manual(self.bob, 400, today - timedelta(days=3))
        redemption = self.env["social.advocacy.redemption"].create(
            {"partner_id": self.ann.id, "reward_id": self.reward.id, "company_id": self.company.id})
        redemption.action_approve()
        ann = self.ann.with_company(self.company)
        self.assertEqual(ann.advocacy_balance, 200, "the reward was paid")
        self.assertEqual(self._board(), [(self.ann, 500, 1), (self.bob, 400, 2)])
        self.assertEqual(ann.advocacy_points, 500, "nor does it lower the points of the tier")
        with self.assertRaisesRegex(UserError, "it is not reversed"), self.env.cr.savepoint():
            redemption.action_id._reverse()

    def test_reversed_award_leaves_the_board_and_comes_back(self):
        award = self._manual(self.bob, 200, date.today())
        self.assertEqual(self._board(), [(self.bob, 200, 1)])
        reversal = award._reverse()
        self.assertEqual(self._board(), [], "cancelled points rank nobody")
        reversal._reverse()
        self.assertEqual(self._board(), [(self.bob, 200, 1)], "reversing the reversal earns them again")

    def test_rank_of_a_page_in_one_query(self):
        for partner, points in ((self.ann, 30), (self.bob, 20), (self.carl, 10)):
            self._manual(partner, points, date.today())
        standings = self.env["social.advocacy.standing"].search([("company_id", "=", self.company.id)])
        standings.fetch(["leaderboard_points", "company_id"])
        with self.assertQueryCount(1):
            self.assertEqual(standings.sorted("leaderboard_points", reverse=True).mapped("leaderboard_rank"), [1, 2, 3])

    def test_whole_points_and_a_real_empty_state(self):
        action = self.env.ref("social_crm_advocacy.social_advocacy_standing_action_leaderboard")
        self.assertEqual(action.res_model, "social.advocacy.standing")
        self.assertIn("No advocate earned points in the last 30 days", action.help)
        Standing = self.env["social.advocacy.standing"]
        self.assertEqual(Standing._fields["leaderboard_points"].type, "integer")
        for view in action.view_ids.view_id:
            self.assertNotIn('sample="1"', view.arch, f"{view.name}: no sample bars of made-up advocates")
        self.assertEqual(self.env.ref("social_crm_advocacy.social_advocacy_leaderboard_menu").action, action)
