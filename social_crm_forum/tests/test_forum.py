from markupsafe import Markup

from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon

POSITIVE = "Reset the pairing and it works great, I love this phone, wonderful support."
NEGATIVE = "Terrible phone, the pairing is broken and the support was awful."


@tagged("social_crm_forum", "post_install", "-at_install")
class TestForum(BaseCommon):
    """Posts written through the real website_forum models, as its controllers write them (as the
    logged-in customer), become mentions and advocacy points."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the programme's rules of this test only (the demo database has its own)
        cls.env["social.advocacy.rule"].search([]).active = False
        Rule = cls.env["social.advocacy.rule"]
        cls.rule_answer, cls.rule_accepted, cls.rule_upvote = Rule.create([
            {"name": "Answer", "action_type": "community_answer", "points": 15, "min_sentiment": -1},
            {"name": "Accepted", "action_type": "accepted_answer", "points": 40, "network": "forum",
             "min_sentiment": -1},
            {"name": "Upvote", "action_type": "upvote_received", "points": 5, "network": "forum",
             "min_sentiment": -1, "cap_period": "day", "cap_count": 3},
        ])
        cls.source = cls.env["social.source"].create({"name": "Community", "source_type": "forum"})
        cls.forum = cls.env["forum.forum"].create({"name": "Help desk", "social_source_id": cls.source.id})
        cls.users = {}
        for login, name, group in (
                ("ann", "Ann Asker", "base.group_portal"), ("bob", "Bob Helper", "base.group_portal"),
                ("carl", "Carl Voter", "base.group_portal"), ("dora", "Dora Voter", "base.group_portal"),
                ("emma", "Emma Employee", "base.group_user")):
            user = new_test_user(cls.env, login=f"forum_{login}", name=name, groups=group,
                                 email=f"{login}@forum.example.com")
            user.karma = 1000  # enough to ask, answer, vote and accept on the forum
            cls.users[login] = user
        cls.ann, cls.bob, cls.carl, cls.dora, cls.emma = (cls.users[login].partner_id for login in
                                                          ("ann", "bob", "carl", "dora", "emma"))

    # ------------------------------------------------------------------ what the forum does

    def ask(self, login, title, content="<p>How do I pair the phone with my car?</p>", forum=None):
        return self.env["forum.post"].with_user(self.users[login]).create(
            {"forum_id": (forum or self.forum).id, "name": title, "content": content})

    def answer(self, login, question, content=f"<p>{POSITIVE}</p>"):
        return self.env["forum.post"].with_user(self.users[login]).create(
            {"forum_id": question.forum_id.id, "parent_id": question.id, "name": f"Re: {question.name}",
             "content": content})

    def comment(self, login, post, body):
        """What the forum's comment form posts: a comment of the customer on the post."""
        return post.with_user(self.users[login]).sudo().message_post(
            body=Markup(body), message_type="comment", subtype_xmlid="mail.mt_comment")

    def vote(self, login, post, upvote=True):
        """The forum's vote arrows: the down arrow takes an upvote back, the up arrow a downvote."""
        return post.with_user(self.users[login]).vote(upvote=upvote)

    def mention_of(self, record):
        field = "forum_message_id" if record._name == "mail.message" else "forum_post_id"
        return self.env["social.mention"].search([(field, "=", record.id)])

    def ledger(self, partner, action_type=None):
        domain = [("partner_id", "=", partner.id)] + ([("action_type", "=", action_type)] if action_type else [])
        return self.env["social.advocacy.action"].search(domain, order="id")

    def reversal_of(self, action):
        return self.env["social.advocacy.action"].search([("reversed_action_id", "=", action.id)])

    def balance(self, partner):
        return sum(self.ledger(partner).mapped("points"))

    # ------------------------------------------------------------------ mentions

    def test_questions_answers_and_comments_are_threaded_mentions(self):
        question = self.ask("ann", "Pairing with my car")
        answer = self.answer("bob", question)
        comment = self.comment("ann", answer, "<p>Thanks <b>Bob</b>, it works now!</p>")
        asked, answered, commented = (self.mention_of(record) for record in (question, answer, comment))
        self.assertEqual(
            (asked.source_id, asked.network, asked.external_id, asked.partner_id, asked.author_handle,
             asked.body, asked.parent_id, asked.company_id, asked.posted_at),
            (self.source, "forum", f"forum-post-{question.id}", self.ann, "Ann Asker",
             "Pairing with my car\n\nHow do I pair the phone with my car?", self.env["social.mention"],
             self.env.company, question.create_date.replace(microsecond=0)))
        self.assertTrue(asked.url.endswith(question.website_url))
        self.assertEqual((answered.partner_id, answered.body, answered.parent_id, answered.sentiment_label),
                         (self.bob, POSITIVE, asked, "positive"))
        self.assertEqual((commented.partner_id, commented.body, commented.parent_id, commented.external_id),
                         (self.ann, "Thanks *Bob*, it works now!", answered, f"forum-comment-{comment.id}"))
        # notes of the backend and the forum's own notifications are no mentions
        question.with_user(self.env.ref("base.user_admin")).message_post(
            body="Internal remark", message_type="comment", subtype_xmlid="mail.mt_note")
        answer.sudo().write({"content": f"<p>{POSITIVE} Edited.</p>"})  # posts an "Answer Edited" notification
        self.assertEqual(self.env["social.mention"].search_count([("source_id", "=", self.source.id)]), 3)
        # reputation and reports count them like the mentions of any source
        figures = self.env["social.mention"].get_representativeness([("source_id", "=", self.source.id)])
        self.assertEqual((figures["mentions"], figures["customers"]), (3, 2))
        self.bob.action_recompute_social_reputation()
        self.assertEqual(self.bob.social_reputation_evidence, 1)

    def test_staff_posts_are_the_company_answering(self):
        question = self.ask("ann", "Pairing with my car")
        asked = self.mention_of(question)
        self.assertEqual((asked.direction, asked.state), ("inbound", "new"))
        staff = self.mention_of(self.answer("emma", question, "<p>Reset the pairing in Settings, Ann.</p>"))
        self.assertEqual((staff.direction, staff.parent_id), ("outbound", asked))
        self.assertEqual(asked.state, "answered", "answered on the forum: out of the inbox")
        self.assertEqual(asked.reply_body, "Reset the pairing in Settings, Ann.")
        self.assertIn("Answered on the forum by Emma Employee", asked.message_ids[0].body)
        self.assertEqual((staff.state, staff.response_due_at), ("answered", False),
                         "the staff's own post waits for no answer")
        customer = self.mention_of(self.answer("bob", question))
        self.assertEqual(customer.direction, "inbound")

    def test_forum_not_listened_then_listened(self):
        other = self.env["forum.forum"].create({"name": "Off topic"})
        question = self.ask("ann", "Unheard question", forum=other)
        answer = self.answer("bob", question)
        self.assertFalse(self.mention_of(question) | self.mention_of(answer))
        other.social_source_id = self.source  # from now on: what was posted already is brought in
        self.assertEqual(self.mention_of(answer).parent_id, self.mention_of(question))
        self.assertEqual(len(self.ledger(self.bob, "community_answer")), 1)
        other.social_source_id = False  # no more listened to: the mentions stay as they are
        answer.sudo().active = False
        self.assertEqual(self.mention_of(answer).body, POSITIVE)

    def test_edit_and_deletion_of_a_post(self):
        question = self.ask("ann", "Pairing")
        answer = self.answer("bob", question)
        comment = self.comment("carl", answer, "Same for me.")
        mention = self.mention_of(answer)
        answer.with_user(self.users["bob"]).write({"content": f"<p>{NEGATIVE}</p>"})
        self.assertEqual((mention.body, mention.sentiment_label), (NEGATIVE, "negative"))
        self.assertEqual(self.balance(self.bob), 15)

        answer.sudo().active = False  # deleted on the forum (Odoo archives it)
        self.assertEqual((mention.body, bool(mention.network_deleted_at)), (False, True))
        self.assertFalse(self.mention_of(comment).body, "its comments are gone from the forum too")
        self.assertEqual(self.balance(self.bob), 0, "the points of the deleted answer are reversed")
        self.assertEqual(len(self.env["social.mention"].search([("source_id", "=", self.source.id)])), 3,
                         "the mentions stay, without text: counted once, not lost")

        answer.sudo().active = True  # restored by a moderator
        self.assertEqual((mention.body, mention.network_deleted_at), (NEGATIVE, False))
        self.assertEqual(self.mention_of(comment).body, "Same for me.")
        self.assertEqual(self.balance(self.bob), 15)
        self.assertEqual(len(self.ledger(self.bob, "community_answer")), 1, "the reversal was reversed, no new award")

        self.env["mail.message"].browse(comment.id).sudo().unlink()
        self.assertFalse(self.mention_of_external(f"forum-comment-{comment.id}").body)
        answer.sudo().unlink()
        mention.invalidate_recordset()
        self.assertEqual((mention.exists(), mention.body, mention.forum_post_id),
                         (mention, False, self.env["forum.post"]))
        self.assertEqual(self.balance(self.bob), 0)
        self.assertEqual(self.mention_of(question).body, "Pairing\n\nHow do I pair the phone with my car?")

    def mention_of_external(self, external_id):
        return self.env["social.mention"].search(
            [("source_id", "=", self.source.id), ("external_id", "=", external_id)])

    def test_pending_and_flagged_posts(self):
        self.forum.karma_post = 500  # questions of newcomers wait for validation
        self.users["ann"].karma = 10
        question = self.ask("ann", "Waiting")
        self.assertEqual(question.state, "pending")
        self.assertFalse(self.mention_of(question), "not shown on the forum yet")
        question.sudo().validate()
        self.assertEqual(self.mention_of(question).body, "Waiting\n\nHow do I pair the phone with my car?")
        question.sudo().state = "offensive"
        self.assertFalse(self.mention_of(question).body)

    def test_heavy_html_long_image_only_and_any_language(self):
        question = self.ask("ann", "Formats")
        heavy = self.answer("bob", question, "<div><h1>Steps</h1><table><tr><td><b>One</b></td></tr></table>"
                                             "<script>alert(1)</script><ul><li>Two</li></ul></div>")
        body = self.mention_of(heavy).body
        self.assertNotIn("<", body)
        self.assertNotIn("alert", body)
        self.assertIn("**Steps**", body)
        self.assertIn("*One*", body)
        long_post = self.answer("carl", question, "<p>" + "word " * 12_000 + "</p>")
        mention = self.mention_of(long_post)
        self.assertEqual((len(mention.body), mention.body_truncated), (50_000, True))
        image = self.answer("dora", question, "<p><img src='/web/image/1'/><img src='/web/image/2'/></p>")
        self.assertEqual(self.mention_of(image).body, "[2 image(s)]")
        for text in ("この電話は素晴らしいです、ありがとう。", "هذا الهاتف رائع جدا، شكرا لكم."):
            post = self.ask("ann", text, content=f"<p>{text}</p>")
            self.assertEqual(self.mention_of(post).body, f"{text}\n\n{text}")

    def test_forum_archived_and_deleted(self):
        forum = self.env["forum.forum"].create({"name": "Closing down", "social_source_id": self.source.id})
        question = self.ask("ann", "Last question", forum=forum)
        answer = self.answer("bob", question)
        mentions = self.mention_of(question) | self.mention_of(answer)
        forum.active = False  # archived: so are its posts
        self.assertEqual(mentions.mapped("body"), [False, False])
        self.assertEqual(self.balance(self.bob), 0)
        forum.active = True
        self.assertEqual(self.balance(self.bob), 15)
        (question | answer).sudo().unlink()  # a forum is deleted once its posts are
        forum.unlink()
        self.assertEqual((len(mentions.exists()), mentions.mapped("body")), (2, [False, False]))
        self.assertEqual(self.balance(self.bob), 0)

    # ------------------------------------------------------------------ advocacy

    def test_community_answer_earns_once(self):
        question = self.ask("ann", "Pairing")
        answer = self.answer("bob", question)
        [action] = self.ledger(self.bob)
        self.assertEqual((action.action_type, action.points, action.mention_id, action.rule_id),
                         ("community_answer", 15, self.mention_of(answer), self.rule_answer))
        answer.with_user(self.users["bob"]).write({"content": f"<p>{POSITIVE} Also update it.</p>"})
        answer.sudo().write({"state": "active"})
        self.env["social.mention"]._social_sync_forum(answer)
        self.assertEqual(len(self.ledger(self.bob)), 1, "re-saving the answer earns nothing more")
        self.assertEqual(self.users["bob"].karma, 1000, "karma is the forum's: untouched by the programme")

    def test_self_answers_comments_and_employees_earn_nothing(self):
        question = self.ask("ann", "Pairing")
        self.answer("ann", question)  # her own question
        self.comment("bob", question, f"<p>{POSITIVE}</p>")  # a comment is no answer
        self.answer("emma", question)  # an employee answering
        staff_question = self.ask("emma", "Internal test")
        self.answer("bob", staff_question)  # answering an employee
        self.assertFalse(self.ledger(self.ann) | self.ledger(self.bob) | self.ledger(self.emma))
        answer = self.answer("bob", question)
        self.assertEqual(self.ledger(self.bob).mention_id, self.mention_of(answer))

    def test_accepted_answer_and_its_reversal(self):
        question = self.ask("ann", "Pairing")
        answer = self.answer("bob", question)
        answer.with_user(self.users["ann"]).write({"is_correct": True})  # the asker accepts it
        accepted = self.ledger(self.bob, "accepted_answer")
        self.assertEqual((len(accepted), accepted.points, accepted.mention_id, self.balance(self.bob)),
                         (1, 40, self.mention_of(answer), 55))
        answer.with_user(self.users["ann"]).write({"is_correct": False})
        self.assertEqual(self.balance(self.bob), 15)
        self.assertEqual(self.reversal_of(accepted).points, -40)
        answer.with_user(self.users["ann"]).write({"is_correct": True})
        self.assertEqual(self.balance(self.bob), 55)
        self.assertEqual(len(self.ledger(self.bob, "accepted_answer")), 1, "accepted again: the reversal is reversed")
        own = self.answer("ann", question)
        own.sudo().write({"is_correct": True})
        self.assertFalse(self.ledger(self.ann), "accepting one's own answer earns nothing")

    def test_upvotes_and_their_removal(self):
        question = self.ask("ann", "Pairing")
        answer, second = self.answer("bob", question), self.answer("bob", self.ask("ann", "Case"))
        self.vote("carl", answer)
        [upvote] = self.ledger(self.bob, "upvote_received")
        self.assertEqual((upvote.points, upvote.forum_vote_id.user_id, upvote.mention_id, upvote.rule_id),
                         (5, self.users["carl"], self.env["social.mention"], self.rule_upvote))
        self.assertEqual(self.balance(self.bob), 30 + 5)
        self.vote("carl", second)
        self.assertEqual(len(self.ledger(self.bob, "upvote_received")), 1,
                         "the same voter for the same author: once in the period")
        self.vote("dora", answer)
        self.vote("ann", answer, upvote=False)  # a downvote earns nothing
        self.assertEqual(self.balance(self.bob), 30 + 10)
        self.vote("carl", answer, upvote=False)  # carl takes his vote back (the down arrow)
        self.assertEqual(self.reversal_of(upvote).points, -5)
        self.assertEqual(self.balance(self.bob), 30 + 5)
        self.vote("carl", answer)  # and gives it again: the same points, not a second award
        self.assertEqual(self.balance(self.bob), 30 + 10)
        self.assertEqual(len(self.ledger(self.bob, "upvote_received")), 2)
        self.env["forum.post.vote"].search(
            [("post_id", "=", answer.id), ("user_id", "=", self.users["dora"].id)]).sudo().unlink()
        self.assertEqual(self.balance(self.bob), 30 + 5)
        self.vote("bob", question)  # bob upvotes ann's question
        self.assertEqual(self.balance(self.ann), 5)

    def test_upvote_cap(self):
        answer = self.answer("bob", self.ask("ann", "Question"))
        for login in ("carl", "dora", "ann", "emma"):
            self.vote(login, answer)
        self.assertEqual(len(self.ledger(self.bob, "upvote_received")), 3, "the rule's cap: 3 a day")

    def test_merged_partner(self):
        question = self.ask("ann", "Pairing")
        answer = self.answer("bob", question)
        self.vote("carl", answer)
        kept = self.env["res.partner"].create({"name": "Bob Helper (CRM)", "email": "bob@forum.example.com"})
        self.env["base.partner.merge.automatic.wizard"]._merge([self.bob.id, kept.id], dst_partner=kept,
                                                              extra_checks=False)
        self.env.invalidate_all()
        self.assertEqual(self.users["bob"].partner_id, kept)
        self.assertEqual(self.mention_of(answer).partner_id, kept)
        self.assertEqual((self.balance(kept), len(self.ledger(kept))), (20, 2))
        answer.with_user(self.users["bob"]).write({"content": f"<p>{POSITIVE} Merged.</p>"})
        self.vote("carl", answer, upvote=False)
        self.vote("carl", answer)
        self.assertEqual((self.balance(kept), len(self.ledger(kept, "community_answer"))), (20, 1),
                         "nothing counted twice for the contact kept")
        self.assertEqual(self.env["social.mention"].search_count([("partner_id", "=", kept.id)]), 1)

    def test_opted_out_customer(self):
        self.bob.social_opt_out = True
        answer = self.answer("bob", self.ask("ann", "Pairing"))
        self.assertEqual((bool(self.mention_of(answer)), self.mention_of(answer).partner_id),
                         (True, self.env["res.partner"]))
        self.assertFalse(self.ledger(self.bob))

    def test_demo_forum(self):
        forum = self.env.ref("social_crm_forum.forum_acme_demo", raise_if_not_found=False)
        if not forum:
            self.skipTest("no demo data")
        mentions = self.env["social.mention"].search([("source_id", "=", forum.social_source_id.id)])
        self.assertEqual(len(mentions), 5)
        nina = self.env.ref("social_crm_forum.user_forum_nina_demo").partner_id
        self.assertLessEqual({"accepted_answer", "community_answer", "upvote_received"},
                             set(self.ledger(nina).mapped("action_type")))
        marc = self.env.ref("social_crm_forum.answer_case_demo").create_uid.partner_id
        self.assertFalse(self.ledger(marc).filtered(lambda action: action.action_type == "community_answer"),
                         "an employee's answer is no community answer")
