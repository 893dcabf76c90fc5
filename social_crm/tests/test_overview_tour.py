from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import SocialCrmOverviewCase


@tagged("social_crm", "post_install", "-at_install")
class TestOverviewTour(SocialCrmOverviewCase, HttpCase):
    """In a real browser: the Social overview's figures and the inbox they open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now().replace(microsecond=0)
        # the salesperson's clock at noon: every mention of the last hours is of their today
        cls.salesperson.tz = f"Etc/GMT{now.hour - 12:+d}"
        cls.fresh, cls.late, cls.answered = cls._create_mentions(cls.overview_source, [
            {"body": "Where is my parcel?", "author_handle": "tour_overview_fresh", "state": "new",
             "posted_at": now, "response_due_at": now + timedelta(hours=4)},
            {"body": "Still no answer from you", "author_handle": "tour_overview_late", "state": "to_answer",
             "posted_at": now - timedelta(days=2), "response_due_at": now - timedelta(days=1),
             "response_breached": True},
            {"body": "Is it waterproof?", "author_handle": "tour_overview_answered", "state": "answered",
             "posted_at": now - timedelta(hours=3), "replied_at": now - timedelta(hours=1),
             "response_due_at": now + timedelta(hours=1)},
        ])

    def test_overview_tour(self):
        service = self.overview()["service"]
        self.assertEqual([service[key]["value"] for key in ("unanswered", "overdue", "today")], [2, 1, 2],
                         "the figures the tour reads")
        self.start_tour("/odoo/social-overview", "social_crm_overview_tour", login="overview_salesperson",
                        timeout=180)
