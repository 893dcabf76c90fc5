from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.social_crm.tests.common import SocialCrmOverviewCase


@tagged("social_crm_reputation", "post_install", "-at_install")
class TestOverviewReputationTour(SocialCrmOverviewCase, HttpCase):
    """In a real browser: the reputation on the Social overview and the Reply of an alert."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("social_crm_reputation.alert_reach_threshold", 10000)
        ann, bob, carl = cls.env["res.partner"].create(
            [{"name": "Ann Tour"}, {"name": "Bob Tour"}, {"name": "Carl Tour"}])
        now = fields.Datetime.now()
        mentions = cls._create_mentions(cls.overview_source, [{
            "body": body, "sentiment_label": label, "lang": "en", "partner_id": partner.id if partner else False,
            "author_handle": handle, "reach": reach, "posted_at": now - timedelta(days=days),
        } for body, label, partner, handle, reach, days in (
            ("Love the new case", "positive", ann, "tour_ann", 10, 2),
            ("Great support, thanks", "positive", bob, "tour_bob", 10, 3),
            ("Fast delivery", "positive", carl, "tour_carl", 10, 4),
            ("The shop opens at nine", "neutral", False, "tour_someone", 10, 5),
            ("Third broken phone this year. Never again!", "negative", bob, "tour_bob", 54000, 6),
        )])
        cls.loud = mentions[-1]

    def test_overview_reputation_tour(self):
        self.assertTrue(self.env["social.reputation.alert"].search([("mention_id", "=", self.loud.id)]))
        self.start_tour("/odoo/social-overview", "social_crm_reputation_overview_tour",
                        login="overview_salesperson", timeout=180)
        self.assertEqual(self.loud.state, "answered")
        self.assertIn("A new phone leaves today", self.loud.reply_body)
