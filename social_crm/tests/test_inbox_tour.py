from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("social_crm", "post_install", "-at_install")
class TestInboxTour(HttpCase):
    """In a real browser: a salesperson assigns a mention, answers it (the next one waiting opens), goes
    back to it and makes a lead of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(cls.env, login="tour_salesman", name="Tour Salesman",
                                     groups="sales_team.group_sale_salesman")
        cls.customer = cls.env["res.partner"].create({"name": "Tour Customer", "email": "tour.customer@example.com"})
        source = cls.env["social.source"].create({"name": "Tour hook", "source_type": "webhook", "network": "x"})
        result = cls.env["social.mention"]._ingest(source, [{
            "id": "tour-1", "network": "x", "lang": "en",
            "author": {"handle": "tour_customer", "email": "tour.customer@example.com", "followers": 900},
            "text": "Is the Acme Pro better than the Globex X2000? Thinking of buying one for my team.",
            "url": "https://x.com/tour_customer/status/1",
            # the newest of the inbox, whatever the date: the demo's mentions are dated relative to today
            "posted_at": fields.Datetime.now().isoformat() + "Z",
        }])
        cls.mention = result["mentions"][0]
        # the next one to answer once this one is: older than any other of the database
        cls.following = cls.env["social.mention"].create({
            "source_id": source.id, "network": "x", "external_id": "tour-0", "author_handle": "tour_waiting",
            "body": "Still waiting for my parcel, any news?",
            "posted_at": fields.Datetime.now() - timedelta(days=3650)})

    def test_inbox_tour(self):
        self.assertTrue(self.mention.buying_signal_rule_id, "the comparison is a buying signal")
        self.assertFalse(self.mention.lead_id, "comparisons do not create leads by themselves")
        self.start_tour("/odoo/action-social_crm.social_mention_action", "social_crm_inbox_tour",
                        login="tour_salesman", timeout=180)
        self.assertEqual(self.mention.user_id, self.salesman)
        self.assertEqual(self.mention.state, "answered")
        self.assertIn("longer warranty", self.mention.reply_body)
        self.assertTrue(self.mention.message_ids.filtered(lambda m: "Reply recorded" in (m.body or "")))
        self.assertEqual(self.mention.lead_id.partner_id, self.customer)
