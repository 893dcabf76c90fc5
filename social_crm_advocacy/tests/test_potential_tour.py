from datetime import datetime, timedelta

from odoo.tests import HttpCase, new_test_user, tagged

POSITIVE = "I love Acme, the best support ever! Great product, thank you."


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestPotentialTour(HttpCase):
    """In a real browser: potential advocates read with units, and a salesperson invites one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new_test_user(cls.env, login="tour_pot_sales", name="Tour Potential Salesperson",
                      groups="sales_team.group_sale_salesman")
        cls.fan = cls.env["res.partner"].create({"name": "Tour Potential Fan", "email": "tour.fan@example.com"})
        cls.env["social.profile"].create(
            {"partner_id": cls.fan.id, "network": "x", "handle": "tourfan54k", "followers": 54000})
        source = cls.env["social.source"].create(
            {"name": "Tour potential source", "source_type": "webhook", "network": "x"})
        now = datetime.now()
        cls.env["social.mention"].create([{
            "source_id": source.id, "network": "x", "external_id": f"tour-potential-{days}",
            "author_handle": "tourfan54k", "partner_id": cls.fan.id, "body": POSITIVE, "lang": "en",
            "posted_at": now - timedelta(days=days)} for days in (1, 5, 20)])

    def test_potential_tour(self):
        self.assertFalse(self.fan.advocacy_invitation_date)
        self.start_tour("/odoo", "social_crm_advocacy_potential_tour", login="tour_pot_sales", timeout=180)
        self.assertTrue(self.fan.advocacy_invitation_date, "sending the invitation records it")
        invitation = self.fan.message_ids.filtered(lambda m: "advocates" in (m.subject or ""))
        self.assertEqual(len(invitation), 1)
        self.assertIn(self.fan, invitation.partner_ids)
        self.assertEqual(invitation.author_id.name, "Tour Potential Salesperson")
