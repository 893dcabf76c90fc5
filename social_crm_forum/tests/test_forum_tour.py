from odoo.tests import HttpCase, new_test_user, tagged


@tagged("social_crm_forum", "post_install", "-at_install")
class TestForumTour(HttpCase):
    """In a real browser: a customer answers on /forum, then the answer shows on their contact."""

    def test_forum_answer_to_contact(self):
        source = self.env["social.source"].create({"name": "Tour forum", "source_type": "forum"})
        forum = self.env["forum.forum"].create({"name": "Tour community", "social_source_id": source.id})
        asker, helper = (new_test_user(self.env, login=login, name=name, groups="base.group_portal",
                                       email=f"{login}@forum.example.com") for login, name in
                         (("forum_tour_asker", "Tour Asker"), ("forum_tour_helper", "Tour Helper")))
        (asker | helper).karma = 1000
        question = self.env["forum.post"].with_user(asker).create(
            {"forum_id": forum.id, "name": "Pairing the phone with my car",
             "content": "<p>The pairing fails every time, what can I do?</p>"})
        self.start_tour(question.website_url, "social_crm_forum_answer_tour", login="forum_tour_helper",
                        timeout=180)
        answer = question.child_ids
        self.assertEqual(answer.create_uid, helper)
        mention = self.env["social.mention"].search([("forum_post_id", "=", answer.id)])
        self.assertEqual((mention.partner_id, mention.parent_id.forum_post_id, mention.source_id),
                         (helper.partner_id, question, source))
        self.start_tour(f"/odoo/res.partner/{helper.partner_id.id}",
                        "social_crm_forum_contact_tour", login="admin", timeout=180)
        self.assertEqual(helper.partner_id.social_mention_count, 1)
