from datetime import date

from odoo.tests import freeze_time, tagged

from .common import AdvocacyCommon


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyTiers(AdvocacyCommon):
    """Rolling 12-month points and tiers, recomputed for all partners in one SQL statement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bronze, cls.silver = cls.env["social.advocacy.tier"].create([
            {"name": "Test Bronze", "min_points": 100},
            {"name": "Test Silver", "min_points": 500},
        ])

    def _manual(self, partner, points, day):
        return self.env["social.advocacy.action"].create(
            {"partner_id": partner.id, "action_type": "manual", "points": points, "date": day})

    def _history(self, partner):
        return self.env["social.advocacy.tier.history"].search([("partner_id", "=", partner.id)], order="id")

    @freeze_time("2026-06-15")
    def test_rolling_points_tiers_and_history(self):
        self._manual(self.ann, 400, date(2025, 6, 15))  # exactly 12 months ago: out of the window
        self._manual(self.ann, 150, date(2025, 6, 16))
        self._manual(self.bob, 60, date(2026, 6, 1))
        self.assertEqual((self.ann.advocacy_points, self.ann.advocacy_tier_id), (150, self.bronze))
        self.assertEqual((self.bob.advocacy_points, self.bob.advocacy_tier_id.id), (60, False))
        self.assertEqual(self.ann.advocacy_balance, 550, "the balance is all-time, the tier is rolling")
        self._manual(self.ann, 400, date(2026, 6, 15))
        self.assertEqual((self.ann.advocacy_points, self.ann.advocacy_tier_id), (550, self.silver))
        history = self._history(self.ann)
        self.assertEqual(history.mapped("tier_id"), self.bronze | self.silver)
        self.assertEqual(history[-1].old_tier_id, self.bronze)
        self.assertEqual(history[-1].points, 550)
        self.assertFalse(self._history(self.bob))

    def test_daily_cron_one_statement_for_all_partners(self):
        with freeze_time("2026-06-15"):
            self._manual(self.ann, 150, date(2025, 7, 1))
            self._manual(self.carl, 600, date(2026, 6, 1))
        self.assertEqual(self.ann.advocacy_tier_id, self.bronze)
        with freeze_time("2026-07-02"):
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=2):
                self.env["social.advocacy.tier"]._cron_recompute_tiers()
        self.assertEqual((self.ann.advocacy_points, self.ann.advocacy_tier_id.id), (0, False),
                         "points older than 12 months leave the rolling total")
        self.assertEqual((self.carl.advocacy_points, self.carl.advocacy_tier_id), (600, self.silver))
        self.assertEqual(self._history(self.ann)[-1].old_tier_id, self.bronze)
        self.assertFalse(self._history(self.ann)[-1].tier_id)
        self.assertEqual(len(self._history(self.carl)), 1, "no history row when the tier is unchanged")

    def test_changing_a_threshold_moves_advocates(self):
        self._manual(self.ann, 150, date.today())
        self.assertEqual(self.ann.advocacy_tier_id, self.bronze)
        self.bronze.min_points = 200
        self.assertFalse(self.ann.advocacy_tier_id)
        self.bronze.min_points = 150
        self.assertEqual(self.ann.advocacy_tier_id, self.bronze)

    def test_standing_rows_searches_and_counts(self):
        self._manual(self.ann, 150, date.today())
        self._manual(self.bob, 20, date.today())
        standings = self.env["social.advocacy.standing"].search([("partner_id", "in", (self.ann | self.bob).ids)])
        self.assertEqual(sorted(standings.mapped(lambda s: (s.partner_id, s.points, s.tier_id))),
                         sorted([(self.ann, 150, self.bronze), (self.bob, 20, self.env["social.advocacy.tier"])]))
        advocates = self.env["res.partner"].search(
            [("advocacy_points", ">", 0), ("id", "in", (self.ann | self.bob | self.carl).ids)])
        self.assertEqual(advocates, self.ann | self.bob, "the partners' 'Advocates' filter searches the standing")
        self.assertEqual(self.env["res.partner"].search([("advocacy_tier_id", "=", self.bronze.id)]), self.ann)
        self.assertEqual(self.bronze.partner_count, 1)
