from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.social_crm_reputation.lib import stats

from .common import ReputationCommon


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestRepresentativeness(ReputationCommon):

    def test_figures_of_a_domain(self):
        # the active customer base: a sale confirmed in the last 12 months (Ann and Bob; Carl has none)
        self.env["sale.order"].create([{"partner_id": partner.id, "state": "sale"} for partner in self.ann | self.bob])
        mentions = self._mentions((self.ann, "I love it!"), (self.ann, "Great!"), (self.bob, "Awful."),
                                  (self.carl, "It is a phone."), (self.Partner, "Wonderful!"))
        figures = self.Mention.get_representativeness([("id", "in", mentions.ids)])
        base = len(self.env["sale.order"].search([
            ("state", "=", "sale"), ("date_order", ">=", fields.Datetime.now() - timedelta(days=365)),
        ]).partner_id.commercial_partner_id)
        self.assertEqual(
            (figures["mentions"], figures["scored"], figures["positive"], figures["negative"]), (5, 5, 3, 1))
        self.assertEqual((figures["customers"], figures["customer_base"]), (3, base))
        self.assertAlmostEqual(figures["customer_share"], 2 / base, msg="only speakers of the base count")
        self.assertLessEqual(figures["customer_share"], 1.0)
        self.assertEqual((figures["positive_share_low"], figures["positive_share_high"]), stats.wilson_interval(3, 5))
        self.assertTrue(figures["anecdotal"], "three customers stand for nobody")
        self.env["ir.config_parameter"].set_param("social_crm_reputation.anecdotal_min_customers", "2")
        self.env["ir.config_parameter"].set_param("social_crm_reputation.anecdotal_min_share", "0")
        self.assertFalse(self.Mention.get_representativeness([("id", "in", mentions.ids)])["anecdotal"])

    def test_empty_domain_part(self):
        figures = self.Mention.get_representativeness([("id", "=", 0)])
        self.assertEqual((figures["mentions"], figures["customers"], figures["positive_share"]), (0, 0, 0.0))
        self.assertEqual((figures["positive_share_low"], figures["positive_share_high"]), (0.0, 1.0))
        self.assertTrue(figures["anecdotal"])

    def test_daily_rows(self):
        self.ann.customer_rank = 1
        self._ingest(self._item("p1", "I love it!", posted_at="2026-05-01T08:00:00Z"),
                     self._item("p2", "I hate it!", posted_at="2026-05-01T09:00:00Z"))
        row = self.env["social.reputation.daily"].search([("source_id", "=", self.source.id)])
        low, high = stats.wilson_interval(1, 2)
        self.assertAlmostEqual(row.positive_share_low, low, places=3)
        self.assertAlmostEqual(row.positive_share_high, high, places=3)
        self.assertTrue(row.anecdotal)
