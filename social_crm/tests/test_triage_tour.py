from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("social_crm", "post_install", "-at_install")
class TestTriageTour(HttpCase):
    """In a real browser: kanban drag to change a state, and keyboard triage on the form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(cls.env, login="tour_agent", name="Tour Agent",
                                  groups="social_crm.social_crm_group_user")
        Mention = cls.env["social.mention"]
        # only the tour's mentions wait for an answer
        Mention.search([("state", "in", ("new", "to_answer"))]).state = "ignored"
        source = cls.env["social.source"].create({"name": "Triage tour hook", "source_type": "webhook", "network": "x"})
        now = fields.Datetime.now().replace(microsecond=0)
        cls.a, cls.b, cls.c = Mention.create([{
            "source_id": source.id, "network": "x", "external_id": f"triage-{key}",
            "author_handle": f"tour_triage_{key}", "body": text, "posted_at": now - timedelta(minutes=minutes),
        } for key, text, minutes in (
            ("a", "Third time my order is late. Unacceptable!", 30),
            ("b", "Nice shop", 20),
            ("c", "Do you ship to Canada?", 10))])

    def test_triage_tour(self):
        self.start_tour("/odoo/action-social_crm.social_mention_action", "social_crm_triage_tour",
                        login="tour_agent", timeout=180)
        self.assertEqual(self.a.state, "escalated")
        self.assertEqual((self.b.state, self.b.user_id), ("ignored", self.agent))
        self.assertEqual(self.c.state, "escalated")
