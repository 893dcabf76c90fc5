from odoo.tests import tagged

from .common import VERY_NEGATIVE, VERY_POSITIVE, ReputationCommon


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationFullScan(ReputationCommon):
    """The one-scan full recompute (bench/bench_reputation.py) gives what partner-by-partner gives."""

    def _values(self, partners):
        partners.invalidate_recordset()
        return [(p.social_reputation_score, p.social_reputation_evidence, p.social_reputation_trend) for p in partners]

    def test_full_scan_equals_partner_by_partner(self):
        self._mentions((self.ann, VERY_POSITIVE, 1, 10), (self.ann, VERY_NEGATIVE, 45, 5000),
                       (self.ann, VERY_POSITIVE, 100), (self.bob, VERY_NEGATIVE, 3, 200),
                       (self.bob, VERY_NEGATIVE, 60), (self.carl, "I received the package on Tuesday.", 2))
        partners = self.ann | self.bob | self.carl
        prior = self.Partner._social_reputation_prior(refresh=True)
        for partner in partners:
            partner._recompute_social_reputation(prior)
        one_by_one = self._values(partners)
        self.assertEqual(one_by_one[0][1], 3)
        self.env.cr.execute("UPDATE res_partner SET social_reputation_score = NULL, social_reputation_trend = NULL,"
                            " social_reputation_evidence = NULL, social_reputation_date = NULL WHERE id = ANY(%s)",
                            [partners.ids])
        count = self.Partner._recompute_all_social_reputation()
        self.assertGreaterEqual(count, 3)
        self.assertEqual(self._values(partners), one_by_one)
        all_prior = self.Partner._social_reputation_prior()
        self.assertAlmostEqual(all_prior["mean"], prior["mean"])
        self.assertAlmostEqual(all_prior["weight"], prior["weight"])
        # the aggregates of some partners are those of all partners, restricted
        everyone = self.Partner._social_reputation_aggregates(prior["ref"], prior["half_life"])
        some = self.Partner._social_reputation_aggregates(prior["ref"], prior["half_life"], partners.ids)
        self.assertEqual(some, {pid: everyone[pid] for pid in partners.ids})
