from odoo.tests import HttpCase, tagged

from .common import ReputationCommon


def store_reputation(env, partner, score, evidence, trend):
    """Stored figures of ``partner`` in the current company, as the computation writes them."""
    env.cr.execute("""UPDATE res_partner SET social_reputation_score = jsonb_build_object(%(c)s, %(score)s),
                                             social_reputation_evidence = jsonb_build_object(%(c)s, %(evidence)s),
                                             social_reputation_trend = jsonb_build_object(%(c)s, %(trend)s)
                       WHERE id = %(id)s""",
                   {"c": str(env.company.id), "id": partner.id, "score": score, "evidence": evidence, "trend": trend})
    env["res.partner"].invalidate_model()


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationBadge(ReputationCommon):
    """One badge everywhere: the score rounded once, the evidence, the trend with its sign and unit."""

    def _badge(self, partner):
        return partner.social_reputation_score_text, partner.social_reputation_summary, partner.social_reputation_badge

    def test_badge_texts(self):
        store_reputation(self.env, self.ann, 61.8, 32, 10.9)
        self.assertEqual(self._badge(self.ann),
                         ("62/100", "32 mentions ▲ +10.9 pts", "62/100 · 32 mentions ▲ +10.9 pts"))
        for score, evidence, trend, expected in (
            (62.5, 1, -3.2, ("63/100", "1 mention ▼ −3.2 pts")),  # half up, as the eye rounds
            (40.0, 1250, 0.0, ("40/100", "1,250 mentions ±0.0 pts")),
        ):
            with self.subTest(score=score):
                store_reputation(self.env, self.ann, score, evidence, trend)
                self.assertEqual(self._badge(self.ann)[:2], expected)
        self.assertEqual(self._badge(self.bob), (False, False, False), "no badge without evidence")

    def test_lead_and_order_read_the_same_badge(self):
        store_reputation(self.env, self.ann, 61.8, 32, 10.9)
        lead = self.env["crm.lead"].create({"name": "Ann's badge lead", "partner_id": self.ann.id})
        order = self.env["sale.order"].create({"partner_id": self.ann.id})
        for record in (lead, order):
            self.assertEqual((record.social_reputation_score_text, record.social_reputation_summary),
                             ("62/100", "32 mentions ▲ +10.9 pts"), record._name)

    def test_forms_show_the_badge_not_raw_figures(self):
        arch = self.Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        for name in ("social_reputation_score_text", "social_reputation_summary", "social_reputation_badge"):
            self.assertIn(f'name="{name}"', arch)
        self.assertNotIn('name="social_reputation_score"', arch, "the unrounded score is not shown beside the badge")

    def test_customer_value_in_the_company_currency(self):
        field = self.Partner._fields["social_customer_value"]
        self.assertEqual((field.type, field.currency_field), ("monetary", "currency_id"))
        self.assertEqual(self.ann.currency_id, self.env.company.currency_id)
        lead = self.env["crm.lead"].create({"name": "Ann's value lead", "partner_id": self.ann.id})
        self.assertEqual(lead.social_customer_value_currency_id, self.ann.currency_id)


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestReputationBadgeTour(HttpCase):
    """In a real browser: the contact's smart button and Social tab read the same badge, the value its currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "Tour Badge Customer"})
        cls.env.cr.execute("UPDATE res_partner SET social_customer_value = 12500 WHERE id = %s", [cls.partner.id])
        store_reputation(cls.env, cls.partner, 61.8, 32, 10.9)

    def test_badge_tour(self):
        self.start_tour(f"/odoo/res.partner/{self.partner.id}", "social_reputation_badge_tour", login="admin",
                        timeout=180)
