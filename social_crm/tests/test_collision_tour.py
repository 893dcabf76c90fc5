from odoo.tests import HttpCase, new_test_user, tagged


@tagged("social_crm", "post_install", "-at_install")
class TestCollisionTour(HttpCase):
    """In a real browser: an agent sees a colleague on the mention she answers, and her answer is
    refused once he answered first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.bob = (
            new_test_user(cls.env, login=f"collision_{login}", name=name, groups="sales_team.group_sale_salesman")
            for login, name in (("ann", "Agent Ann"), ("bob", "Agent Bob")))
        source = cls.env["social.source"].create({"name": "Collision tour hook", "source_type": "webhook",
                                                  "network": "x"})
        cls.mention = cls.env["social.mention"].create({
            "source_id": source.id, "network": "x", "external_id": "collision-tour",
            "author_handle": "tour_collision", "body": "My order arrived broken, what now?"})

    def test_collision_tour(self):
        self.start_tour(f"/odoo/action-social_crm.social_mention_action/{self.mention.id}", "social_crm_collision_tour",
                        login="collision_ann", timeout=180)
        self.assertEqual(self.mention.reply_body, "Please send us a photo of it.", "Bob's answer, and his only")
        self.assertEqual(self.mention.replied_by_id, self.bob)
