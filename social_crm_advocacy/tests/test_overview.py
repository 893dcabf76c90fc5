from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.social_crm.tests.common import SocialCrmOverviewCase


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestOverviewAdvocacy(SocialCrmOverviewCase):
    """The advocacy's part of the Social overview: the top advocates by points earned over the
    rolling 12 months, and the redemptions waiting for approval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["social.advocacy.tier"].search([]).active = False
        cls.gold = cls.env["social.advocacy.tier"].create({"name": "Overview Gold", "min_points": 50})
        cls.ann, cls.bob, cls.carl, cls.dan, cls.eve = cls.env["res.partner"].create(
            [{"name": f"{name} Overview"} for name in ("Ann", "Bob", "Carl", "Dan", "Eve")])
        company = cls.overview_company
        today = fields.Date.today()

        def earned(partner, points, date=today, company=company, action_type="manual"):
            return {"partner_id": partner.id, "action_type": action_type, "points": points, "date": date,
                    "company_id": company.id}

        cls.env["social.advocacy.action"].create([
            earned(cls.ann, 100),
            earned(cls.bob, 60, today - timedelta(days=10)),
            earned(cls.eve, 40), earned(cls.eve, 30, today - timedelta(days=200)),
            earned(cls.carl, 300, today - relativedelta(months=13)),  # before the rolling 12 months
            earned(cls.dan, 500, company=cls.env.ref("base.main_company")),  # another company's
        ])
        reward = cls.env["social.advocacy.reward"].create(
            {"name": "Overview mug", "points_cost": 80, "company_id": company.id})
        cls.requested, approved = cls.env["social.advocacy.redemption"].create([
            {"partner_id": cls.bob.id, "reward_id": reward.id, "company_id": company.id, "points": 10},
            {"partner_id": cls.ann.id, "reward_id": reward.id, "company_id": company.id},
        ])
        approved.action_approve()  # Ann spends 80 of her 100 points

    def test_top_advocates_by_points_earned(self):
        advocates = self.overview()["advocates"]
        self.assertEqual([(item["name"], item["points"]) for item in advocates["items"]],
                         [("Ann Overview", 100), ("Eve Overview", 70), ("Bob Overview", 60)],
                         "spending on a reward lowers no one; older and other companies' points do not count")
        self.assertEqual([item["tier"] for item in advocates["items"]], ["Overview Gold"] * 3,
                         "the tier of each advocate's standing, on the points earned: Ann's reward keeps her Gold")
        self.assertEqual(advocates["action"]["res_model"], "social.advocacy.standing")

    def test_redemptions_to_approve(self):
        [counter] = [counter for counter in self.overview()["counters"] if counter["key"] == "redemptions"]
        self.assertEqual(counter["value"], 1, "Bob's request; Ann's is approved")
        self.assertEqual(counter["action"]["res_model"], "social.advocacy.redemption")
        self.requested.sudo().action_refuse()
        [counter] = [counter for counter in self.overview()["counters"] if counter["key"] == "redemptions"]
        self.assertEqual(counter["value"], 0)

    def test_no_advocate_yet(self):
        empty = self.env["res.company"].create({"name": "Overview No Advocate"})
        self.salesperson.write({"company_ids": [(4, empty.id)]})
        advocates = self.overview(allowed_company_ids=[empty.id])["advocates"]
        self.assertEqual(advocates["items"], [])
