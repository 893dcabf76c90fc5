from odoo.tests import BaseCase, tagged

from odoo.addons.social_crm_reputation.lib import stats

# z = 1.959964, z² = 3.841459 in every Wilson computation below.


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestWilsonInterval(BaseCase):
    def test_eight_out_of_ten(self):
        # p = 0.8, z²/n = 0.3841459, denominator = 1.3841459
        # centre = (0.8 + 0.1920729) / 1.3841459 = 0.7167402
        # half = 1.959964 * sqrt(0.8*0.2/10 + 3.841459/400) / 1.3841459
        #      = 1.959964 * sqrt(0.0256036) / 1.3841459 = 0.3136166 / 1.3841459 = 0.2265777
        low, high = stats.wilson_interval(8, 10)
        self.assertAlmostEqual(low, 0.7167402 - 0.2265777, places=6)  # 0.4901625
        self.assertAlmostEqual(high, 0.7167402 + 0.2265777, places=6)  # 0.9433179

    def test_nothing_observed_is_the_whole_range(self):
        self.assertEqual(stats.wilson_interval(0, 0), (0.0, 1.0))

    def test_all_successes(self):
        # centre = (1 + 0.1920729) / 1.3841459 = 0.8612336
        # half = 1.959964 * sqrt(0 + 0.0096036) / 1.3841459 = 0.1920729 / 1.3841459 = 0.1387664
        low, high = stats.wilson_interval(10, 10)
        self.assertAlmostEqual(low, 0.8612336 - 0.1387664, places=6)  # 0.7224672
        self.assertEqual(high, 1.0)

    def test_no_success(self):
        # z²/n = 0.7682918, denominator = 1.7682918, centre = 0.3841459 / 1.7682918 = 0.2172412
        # half = 1.959964 * sqrt(3.841459/100) / 1.7682918 = 0.3841459 / 1.7682918 = centre
        low, high = stats.wilson_interval(0, 5)
        self.assertEqual(low, 0.0)
        self.assertAlmostEqual(high, 2 * 0.2172412, places=6)  # 0.4344825

    def test_impossible_counts_are_refused(self):
        with self.assertRaises(ValueError):
            stats.wilson_interval(6, 5)
        with self.assertRaises(ValueError):
            stats.wilson_interval(-1, 5)


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestSpikes(BaseCase):
    E_MINUS_2 = 0.1353353  # e^-2

    def test_poisson_tail_above_the_mean(self):
        # P(X >= 5 | 2) = 1 - e^-2 (1 + 2 + 4/2 + 8/6 + 16/24) = 1 - 7 e^-2 = 1 - 0.9473470 = 0.0526530
        self.assertAlmostEqual(stats.poisson_tail(5, 2.0), 1 - 7 * self.E_MINUS_2, places=6)

    def test_poisson_tail_at_and_below_the_mean(self):
        # P(X >= 1 | 2) = 1 - e^-2 = 0.8646647; P(X >= 2 | 2) = 1 - 3 e^-2 = 0.5939942
        self.assertAlmostEqual(stats.poisson_tail(1, 2.0), 1 - self.E_MINUS_2, places=6)
        self.assertAlmostEqual(stats.poisson_tail(2, 2.0), 1 - 3 * self.E_MINUS_2, places=6)
        self.assertEqual(stats.poisson_tail(0, 2.0), 1.0)

    def test_poisson_tail_of_large_counts_does_not_overflow(self):
        self.assertLess(stats.poisson_tail(2000, 1000.0), 1e-100)
        self.assertGreater(stats.poisson_tail(900, 1000.0), 0.99)

    def test_poisson_spike_against_a_28_day_baseline(self):
        # mean of [1, 2, 3, 2] * 7 = 56 / 28 = 2
        # P(X >= 8 | 2) = 1 - e^-2 (1 + 2 + 2 + 4/3 + 2/3 + 4/15 + 4/45 + 8/315)
        #               = 1 - 0.1353353 * 7.3809524 = 1 - 0.9989033 = 0.0010967 < 0.01
        is_spike, expected, p_value = stats.poisson_spike(8, [1, 2, 3, 2] * 7)
        self.assertTrue(is_spike)
        self.assertEqual(expected, 2.0)
        self.assertAlmostEqual(p_value, 0.0010967, places=6)
        # P(X >= 5 | 2) = 0.0526530 is not below 0.01
        self.assertFalse(stats.poisson_spike(5, [1, 2, 3, 2] * 7)[0])

    def test_poisson_spike_needs_a_minimum_count(self):
        # a silent baseline is floored at MIN_POISSON_RATE (0.01): two mentions are unlikely
        # (p ≈ 0.01²/2 = 5e-5) yet too few to alert on; three are a spike
        is_spike, expected, p_value = stats.poisson_spike(2, [0] * 28)
        self.assertFalse(is_spike)
        self.assertEqual(expected, stats.MIN_POISSON_RATE)
        self.assertLess(p_value, 1e-4)
        self.assertTrue(stats.poisson_spike(3, [])[0])

    def test_zscore_spike(self):
        # baseline [4, 6] * 14: mean 5, sample variance = 28 * 1 / 27, std = 1.0183502
        # z = (9 - 5) / 1.0183502 = 3.9279220
        is_spike, mean, z = stats.zscore_spike(9, [4, 6] * 14)
        self.assertTrue(is_spike)
        self.assertEqual(mean, 5.0)
        self.assertAlmostEqual(z, 3.9279220, places=6)
        self.assertFalse(stats.zscore_spike(7, [4, 6] * 14)[0])  # z = 2 / 1.0183502 = 1.96

    def test_zscore_of_a_flat_baseline_uses_the_floor(self):
        # std 0 floored at 1: z = (6 - 5) / 1 = 1, no spike; (8 - 5) / 1 = 3, spike
        self.assertEqual(stats.zscore_spike(6, [5] * 28), (False, 5.0, 1.0))
        self.assertEqual(stats.zscore_spike(8, [5] * 28), (True, 5.0, 3.0))


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputation(BaseCase):
    def test_decay_weight(self):
        self.assertEqual(stats.decay_weight(0, 30), 1.0)  # 0.5 ** 0
        self.assertEqual(stats.decay_weight(30, 30), 0.5)  # 0.5 ** 1
        self.assertEqual(stats.decay_weight(60, 30), 0.25)  # 0.5 ** 2
        self.assertEqual(stats.decay_weight(-5, 30), 1.0)  # a future date counts as today
        with self.assertRaises(ValueError):
            stats.decay_weight(1, 0)

    def test_one_mention_is_shrunk_towards_the_prior(self):
        # one mention scored 0.9 (weight 1), population mean 0.1 counted as 4 pseudo-mentions:
        # (0.9 * 1 + 0.1 * 4) / (1 + 4) = 1.3 / 5 = 0.26
        self.assertAlmostEqual(stats.shrunk_score(0.9, 1.0, 0.1, 4.0), 0.26, places=9)
        # 100 such mentions: (90 + 0.4) / 104 = 0.8692308, close to the partner's own 0.9
        self.assertAlmostEqual(stats.shrunk_score(90.0, 100.0, 0.1, 4.0), 0.8692308, places=6)
        self.assertEqual(stats.shrunk_score(0.0, 0.0, 0.1, 0.0), 0.1)

    def test_to_reputation(self):
        self.assertEqual(stats.to_reputation(0.0), 50.0)  # 50 * (0 + 1)
        self.assertAlmostEqual(stats.to_reputation(0.26), 63.0, places=9)  # 50 * 1.26
        self.assertEqual(stats.to_reputation(-1.0), 0.0)
        self.assertEqual(stats.to_reputation(1.0), 100.0)
        self.assertEqual(stats.to_reputation(1.5), 100.0)  # clamped

    def test_estimate_prior_weight(self):
        # means 0.2 and -0.2, weights 4 and 4, σ² = 0.25: W = 8, μ = 0,
        # Q = 4 * 0.04 + 4 * 0.04 = 0.32, W - Σw²/W = 8 - 32/8 = 4,
        # τ² = (0.32 - 1 * 0.25) / 4 = 0.0175, k = 0.25 / 0.0175 = 14.285714
        self.assertAlmostEqual(stats.estimate_prior_weight([0.2, -0.2], [4, 4], 0.25), 14.285714, places=5)

    def test_estimate_prior_weight_bounds(self):
        # means ±0.5: τ² = (2 - 0.25) / 4 = 0.4375, k = 0.571 -> floor 1
        self.assertEqual(stats.estimate_prior_weight([0.5, -0.5], [4, 4], 0.25), stats.MIN_PRIOR_WEIGHT)
        # partners alike (τ² = 0), a single partner, or no weight -> ceiling
        self.assertEqual(stats.estimate_prior_weight([0.3, 0.3], [4, 9]), stats.MAX_PRIOR_WEIGHT)
        self.assertEqual(stats.estimate_prior_weight([0.3], [4]), stats.MAX_PRIOR_WEIGHT)
        self.assertEqual(stats.estimate_prior_weight([0.3, -0.3], [0, 0]), stats.MAX_PRIOR_WEIGHT)

    def test_estimate_prior_weight_defaults_to_the_largest_within_variance(self):
        # means ±0.4, weights 10 and 10: μ = 0, so σ² defaults to 1 - μ² = 1;
        # Q = 2 * 10 * 0.16 = 3.2, W - Σw²/W = 20 - 200/20 = 10,
        # τ² = (3.2 - 1 * 1) / 10 = 0.22, k = 1 / 0.22 = 4.5454545
        self.assertAlmostEqual(stats.estimate_prior_weight([0.4, -0.4], [10, 10]), 4.5454545, places=6)


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestAnecdotal(BaseCase):
    def test_anecdotal(self):
        self.assertTrue(stats.anecdotal(29, 0.5))  # too few customers
        self.assertTrue(stats.anecdotal(400, 0.01))  # a loud minority of a large base
        self.assertFalse(stats.anecdotal(30, 0.05))
        self.assertFalse(stats.anecdotal(10, 0.5, min_customers=10))
