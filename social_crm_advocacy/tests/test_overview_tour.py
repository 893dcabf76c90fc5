from odoo.tests import HttpCase, tagged

from odoo.addons.social_crm.tests.common import SocialCrmOverviewCase


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestOverviewAdvocacyTour(SocialCrmOverviewCase, HttpCase):
    """In a real browser: the top advocates and the redemptions to approve on the Social overview."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ann, bob = cls.env["res.partner"].create([{"name": "Ann Tour"}, {"name": "Bob Tour"}])
        company = cls.overview_company
        cls.env["social.advocacy.action"].create([
            {"partner_id": partner.id, "action_type": "manual", "points": points, "company_id": company.id}
            for partner, points in ((ann, 120), (bob, 45))])
        reward = cls.env["social.advocacy.reward"].create(
            {"name": "Tour mug", "points_cost": 100, "company_id": company.id})
        cls.env["social.advocacy.redemption"].create(
            {"partner_id": ann.id, "reward_id": reward.id, "company_id": company.id})

    def test_overview_advocacy_tour(self):
        self.start_tour("/odoo/social-overview", "social_crm_advocacy_overview_tour",
                        login="overview_salesperson", timeout=180)
