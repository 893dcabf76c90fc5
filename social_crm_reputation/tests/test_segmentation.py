from dateutil.relativedelta import relativedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import VERY_NEGATIVE, VERY_POSITIVE, ReputationCommon


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestSegmentation(ReputationCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({"name": "Segment phone", "list_price": 1.0})
        cls.env["ir.config_parameter"].sudo().set_param("social_crm_reputation.high_value_threshold", "10000")

    def _order(self, partner, amount, months_ago=0, confirm=True):
        order = self.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1, "price_unit": amount,
                                   "tax_id": [(5, 0, 0)]})]})
        if confirm:
            order.action_confirm()
        if months_ago:
            order.date_order = order.date_order - relativedelta(months=months_ago)
        return order

    def test_customer_value_in_sql(self):
        self._order(self.ann, 8000)
        self._order(self.ann, 4000, months_ago=2)
        self._order(self.ann, 50000, months_ago=13)  # outside the 12 months
        self._order(self.ann, 7000, confirm=False)  # quotation, not a sale
        self._order(self.bob, 300)
        self.Partner._recompute_social_customer_value()
        self.assertEqual(self.ann.social_customer_value, 12000)
        self.assertEqual(self.bob.social_customer_value, 300)
        self.assertFalse(self.carl.social_customer_value)
        # a cancelled order leaves the value at the next run; the cron refreshes it
        self.bob.sale_order_ids.filtered(lambda o: o.state == "sale")._action_cancel()
        self.Partner._cron_recompute_reputation()
        self.assertEqual(self.bob.social_customer_value, 0)
        self.assertEqual(self.ann.social_customer_value, 12000)

    def test_customer_value_only_for_given_partners(self):
        self._order(self.ann, 100)
        self._order(self.bob, 200)
        self.Partner._recompute_social_customer_value(self.ann.ids)
        self.assertEqual(self.ann.social_customer_value, 100)
        self.assertFalse(self.bob.social_customer_value)

    def test_segments_on_partners_and_leads(self):
        self._order(self.ann, 20000)
        self._order(self.bob, 20000)
        self._order(self.carl, 500)
        self._mentions(*[(self.ann, VERY_NEGATIVE)] * 20)
        self._mentions(*[(self.bob, VERY_POSITIVE)] * 20)
        self._mentions(*[(self.carl, VERY_NEGATIVE)] * 20)
        dave = self.Partner.create({"name": "Dave No Signal"})
        self.Partner._cron_recompute_reputation()
        partners = self.ann | self.bob | self.carl | dave
        self.assertLess(self.ann.social_reputation_score, 40)
        self.assertGreater(self.bob.social_reputation_score, 60)
        domain = [("id", "in", partners.ids)]
        self.assertEqual(self.Partner.search(domain + [("social_high_value_negative", "=", True)]), self.ann,
                         "high value and negative; carl is negative but of low value")
        self.assertEqual(self.Partner.search(domain + [("social_high_value_negative", "=", False)]),
                         self.bob | self.carl | dave)
        self.assertEqual(self.Partner.search(domain + [("social_reputation_no_signal", "=", True)]), dave)
        self.assertEqual(partners.filtered("social_high_value_negative"), self.ann)
        self.assertEqual(partners.filtered("social_reputation_no_signal"), dave)
        # the existing Promoters filter and its twin on leads
        self.assertEqual(self.Partner.search(domain + [("social_reputation_score", ">=", 65)]), self.bob)
        leads = self.env["crm.lead"].create([{"name": f"Lead {p.name}", "partner_id": p.id} for p in partners])
        Lead = self.env["crm.lead"]
        self.assertEqual(Lead.search([("id", "in", leads.ids), ("social_high_value_negative", "=", True)]).partner_id,
                         self.ann)
        self.assertEqual(Lead.search([("id", "in", leads.ids), ("social_reputation_no_signal", "=", True)]).partner_id,
                         dave)
        self.assertEqual(leads.filtered(lambda lead: lead.partner_id == self.ann).social_customer_value, 20000)
        # a higher threshold empties the segment
        self.env["ir.config_parameter"].sudo().set_param("social_crm_reputation.high_value_threshold", "50000")
        self.assertFalse(self.Partner.search(domain + [("social_high_value_negative", "=", True)]))

    def test_falling_trend_is_negative_segment(self):
        self._order(self.ann, 20000)
        self.ann.social_customer_value = 0  # readonly in views only; set by the SQL below
        self.Partner._recompute_social_customer_value()
        self.env.cr.execute("""UPDATE res_partner SET social_reputation_score = jsonb_build_object(%(c)s, 55),
                                      social_reputation_evidence = jsonb_build_object(%(c)s, 4),
                                      social_reputation_trend = jsonb_build_object(%(c)s, -12) WHERE id = %(id)s""",
                            {"c": str(self.env.company.id), "id": self.ann.id})
        self.Partner.invalidate_model()
        self.assertTrue(self.ann.social_high_value_negative)
        self.assertIn(self.ann, self.Partner.search([("social_high_value_negative", "=", True)]))

    def test_bad_threshold(self):
        self.env["ir.config_parameter"].sudo().set_param("social_crm_reputation.high_value_threshold", "lots")
        with self.assertRaises(UserError):
            self.Partner.search([("social_high_value_negative", "=", True)])

    def test_views_carry_filters(self):
        arch = self.Partner.get_view(self.env.ref("base.view_res_partner_filter").id, "search")["arch"]
        self.assertIn("social_high_value_negative", arch)
        self.assertIn("social_reputation_no_signal", arch)
        arch = self.env["crm.lead"].get_view(self.env.ref("crm.view_crm_case_opportunities_filter").id,
                                             "search")["arch"]
        self.assertIn("social_high_value_negative", arch)
