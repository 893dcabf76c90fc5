import math
from datetime import datetime, timedelta

from odoo.tests import freeze_time, new_test_user, tagged

from .common import AdvocacyCommon

POSITIVE = "I love Acme, the best support ever! Great product, thank you."
NEGATIVE = "Acme is terrible, awful support. I hate this broken product."


@tagged("social_crm_advocacy", "post_install", "-at_install")
class TestAdvocacyPotential(AdvocacyCommon):
    """Contacts outside the programme ranked by reach × positive share × activity over 90 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dave, cls.eve = cls.env["res.partner"].create([
            {"name": "Dave Detractor"}, {"name": "Eve Earlier"}])
        cls.env["social.profile"].create([
            {"partner_id": cls.bob.id, "network": "x", "handle": "bob_potential", "followers": 1000},
            {"partner_id": cls.carl.id, "network": "x", "handle": "carl_potential", "followers": 100},
        ])
        now = datetime.now()
        counter = iter(range(1000))

        def mention(partner, body, days_ago=1):
            return {"source_id": cls.source.id, "network": "x", "external_id": f"potential-{next(counter)}",
                    "author_handle": partner.name, "partner_id": partner.id, "body": body, "lang": "en",
                    "posted_at": now - timedelta(days=days_ago)}

        cls.env["social.mention"].create([
            mention(cls.ann, POSITIVE),                      # already in the programme (below)
            mention(cls.bob, POSITIVE), mention(cls.bob, POSITIVE, 10), mention(cls.bob, POSITIVE, 80),
            mention(cls.carl, POSITIVE), mention(cls.carl, NEGATIVE),
            mention(cls.dave, NEGATIVE),                     # never positive
            mention(cls.eve, POSITIVE, 120),                 # outside the 90 days
        ])
        cls.env["social.advocacy.action"].create({"partner_id": cls.ann.id, "action_type": "manual", "points": 10})
        cls.user = new_test_user(cls.env, login="adv_pot_user", groups="social_crm.social_crm_group_user")

    def test_ranking(self):
        Mention = self.env["social.mention"]
        if "sentiment_label" in Mention._fields:
            labels = set(Mention.search([("external_id", "=like", "potential-%")]).mapped("sentiment_label"))
            self.assertEqual(labels, {"positive", "negative"}, "the texts are scored as intended")
        Potential = self.env["social.advocacy.potential"].with_user(self.user)
        rows = Potential.search([("partner_id", "in", (self.ann | self.bob | self.carl | self.dave | self.eve).ids)])
        self.assertEqual(rows.partner_id, self.bob | self.carl)
        self.assertEqual(rows[0].partner_id, self.bob, "more reach, more activity, all positive: ranked first")
        bob, carl = rows
        self.assertEqual((bob.reach, bob.mention_count, bob.positive_count), (1000, 3, 3))
        self.assertAlmostEqual(bob.positive_share, 1.0)
        self.assertAlmostEqual(carl.positive_share, 0.5)
        self.assertAlmostEqual(bob.score, math.log(1001) * 1.0 * math.log(4), places=6)
        self.assertAlmostEqual(carl.score, math.log(101) * 0.5 * math.log(3), places=6)

    def test_grouped_share_of_the_summed_counts(self):
        Potential = self.env["social.advocacy.potential"]
        domain = [("partner_id", "in", (self.bob | self.carl).ids)]
        [(mentions, scored, share)] = Potential._read_group(
            domain, [], ["mention_count:sum", "scored_count:sum", "positive_share:avg"])
        self.assertEqual((mentions, scored), (5, 5))
        self.assertAlmostEqual(share, (3 + 1) / (3 + 2), msg="not the mean of 1.0 and 0.5")
        [group] = Potential.read_group(domain, ["positive_share"], [])
        self.assertAlmostEqual(group["positive_share"], 0.8)

    def test_points_awarded_on_their_own_do_not_make_a_member(self):
        Potential = self.env["social.advocacy.potential"]
        self.env["social.advocacy.rule"].create(
            {"name": "Potential positive", "action_type": "positive_mention", "points": 10, "min_sentiment": 0.3})
        fan = self.env["res.partner"].create({"name": "Fay Fan", "email": "fay.fan@example.com"})
        self.env["social.mention"].create({
            "source_id": self.source.id, "network": "x", "external_id": "potential-auto", "author_handle": "fay",
            "partner_id": fan.id, "body": POSITIVE, "lang": "en", "posted_at": datetime.now()})
        self.assertEqual(self.env["social.advocacy.action"].search([("partner_id", "=", fan.id)]).points, 10)
        self.assertTrue(Potential.search([("partner_id", "=", fan.id)]), "still someone to invite")
        self.env["social.advocacy.action"].create({"partner_id": fan.id, "action_type": "manual", "points": 5})
        self.assertFalse(Potential.search([("partner_id", "=", fan.id)]), "a manual award makes a member")

    def test_own_people_are_no_potential_advocates(self):
        colleague = self.env["res.partner"].create(
            {"name": "Colin Colleague", "parent_id": self.env.company.partner_id.id})
        self.env["social.mention"].create({
            "source_id": self.source.id, "network": "x", "external_id": "potential-colleague",
            "author_handle": "colin", "partner_id": colleague.id, "body": POSITIVE, "lang": "en",
            "posted_at": datetime.now()})
        self.assertFalse(self.env["social.advocacy.potential"].search([("partner_id", "=", colleague.id)]))

    def test_joining_the_programme_leaves_the_list(self):
        Potential = self.env["social.advocacy.potential"]
        self.assertTrue(Potential.search([("partner_id", "=", self.carl.id)]))
        self.env["social.advocacy.action"].create({"partner_id": self.carl.id, "action_type": "manual", "points": 5})
        self.assertFalse(Potential.search([("partner_id", "=", self.carl.id)]))
        action = Potential.search([("partner_id", "=", self.bob.id)]).action_open_partner()
        self.assertEqual((action["res_model"], action["res_id"]), ("res.partner", self.bob.id))

    def test_window_follows_the_orm_clock(self):
        """The 90 days end at the ORM's now (a frozen clock moves them), not at the database's."""
        Potential = self.env["social.advocacy.potential"]
        self.assertEqual(Potential.search([("partner_id", "=", self.bob.id)]).mention_count, 3)
        with freeze_time(datetime.now() + timedelta(days=30)):
            Potential.invalidate_model()  # rows read before, as a new request would not have them
            self.assertEqual(Potential.search([("partner_id", "=", self.bob.id)]).mention_count, 2,
                             "the mention of 80 days ago is now 110 days old")
        with freeze_time(datetime.now() + timedelta(days=200)):
            self.assertFalse(Potential.search([("partner_id", "=", self.bob.id)]))

    def test_invite_by_email_records_the_invitation(self):
        salesperson = new_test_user(self.env, login="adv_pot_sales", groups="sales_team.group_sale_salesman")
        row = self.env["social.advocacy.potential"].with_user(salesperson).search([("partner_id", "=", self.bob.id)])
        self.bob.email = "bob.potential@example.com"
        action = row.action_invite()
        self.assertEqual(action["res_model"], "mail.compose.message")
        template = self.env.ref("social_crm_advocacy.mail_template_advocacy_invitation")
        self.assertEqual(action["context"]["default_template_id"], template.id)
        composer = self.env["mail.compose.message"].with_user(salesperson).with_context(**action["context"]).create({})
        self.assertIn("advocates", composer.subject)
        self.assertIn("advocates programme", composer.body)
        self.assertFalse(self.bob.advocacy_invitation_date, "opening the composer invites nobody")
        composer.action_send_mail()
        self.assertTrue(self.bob.advocacy_invitation_date)
        message = self.bob.message_ids[0]
        self.assertEqual(message.subject, composer.subject)
        self.assertEqual(message.notification_ids.filtered(lambda n: n.res_partner_id == self.bob).notification_type,
                         "email")
        Potential = self.env["social.advocacy.potential"]
        Potential.invalidate_model()
        self.assertEqual(Potential.search([("partner_id", "=", self.bob.id)]).invitation_date,
                         self.bob.advocacy_invitation_date, "the list shows who was invited")
        self.assertFalse(Potential.search([("partner_id", "=", self.bob.id), ("invitation_date", "=", False)]))
        self.assertTrue(Potential.search([("partner_id", "=", self.carl.id), ("invitation_date", "=", False)]))
        self.bob.message_post(body="A later note")
        self.assertEqual(self.bob.advocacy_invitation_date, Potential.search(
            [("partner_id", "=", self.bob.id)]).invitation_date, "only the invitation's sending dates it")

    def test_invite_without_email_plans_a_call(self):
        self.carl.email = False
        salesperson = new_test_user(self.env, login="adv_pot_caller", groups="sales_team.group_sale_salesman")
        row = self.env["social.advocacy.potential"].with_user(salesperson).search([("partner_id", "=", self.carl.id)])
        result = row.action_invite()
        self.assertEqual(result["tag"], "display_notification")
        call = self.carl.activity_ids
        self.assertEqual((call.activity_type_id, call.user_id),
                         (self.env.ref("mail.mail_activity_data_call"), salesperson))
        self.assertIn("advocacy programme", call.summary)
        self.assertFalse(self.carl.advocacy_invitation_date)

