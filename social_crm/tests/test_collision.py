from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import SocialCrmCase


@tagged("social_crm", "post_install", "-at_install")
class TestCollision(SocialCrmCase):
    """Two agents on one mention: each sees the other, and the second answer is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann, cls.bob = (
            new_test_user(cls.env, login=f"collision_{login}", name=name, groups="social_crm.social_crm_group_user")
            for login, name in (("ann", "Agent Ann"), ("bob", "Agent Bob")))
        cls.source = cls._create_source("Collision hook")
        cls.mention = cls._create_mentions(cls.source, [{"body": "My order arrived broken, what now?"}])

    def composer(self, user, body):
        """The reply composer as ``user`` opens it: what it saw of the mention is kept."""
        return self.env["social.mention.reply"].with_user(user).create({"mention_id": self.mention.id, "body": body})

    def test_an_answer_given_meanwhile_refuses_the_second(self):
        ann = self.composer(self.ann, "Sorry! We send a new one today.")
        bob = self.composer(self.bob, "Please send us a photo of it.")
        bob.action_record()
        with self.assertRaisesRegex(UserError, r"Agent Bob answered this mention at .*, while you were writing"):
            ann.action_record()
        self.assertEqual((self.mention.reply_body, self.mention.replied_by_id), (bob.body, self.bob))
        recorded = self.mention.message_ids.filtered(lambda message: "Reply recorded" in (message.body or ""))
        self.assertEqual(len(recorded), 1, "one answer only")

    def test_sending_is_refused_as_recording(self):
        seen = self.mention.replied_at
        self.composer(self.bob, "Please send us a photo of it.").action_record()
        with self.assertRaisesRegex(UserError, "Agent Bob answered this mention"):
            self.mention.with_user(self.ann).reply("Sorry! We send a new one today.", seen_replied_at=seen)
        self.assertFalse(self.mention.child_ids, "no reply queued for the network")

    def test_a_follow_up_after_reading_the_answer_is_allowed(self):
        self.composer(self.bob, "Please send us a photo of it.").action_record()
        follow_up = self.composer(self.ann, "And we send a new one as soon as we have it.")
        self.assertEqual(follow_up.seen_replied_at, self.mention.replied_at, "she saw Bob's answer")
        follow_up.action_record()
        self.assertEqual((self.mention.reply_body, self.mention.replied_by_id), (follow_up.body, self.ann))

    def test_own_answer_in_another_window(self):
        first, second = self.composer(self.ann, "First"), self.composer(self.ann, "Second")
        second.action_record()
        with self.assertRaisesRegex(UserError, "You answered this mention at .*, in another window"):
            first.action_record()

    def test_presence_of_the_others(self):
        def presence(user, status):
            others = self.mention.with_user(user).notify_presence(status)
            self.env.cr.flush()  # the notification is stored at commit
            return [(other["name"], other["status"]) for other in others]

        self.assertEqual(presence(self.ann, "viewing"), [], "nobody else yet")
        self.assertEqual(presence(self.bob, "viewing"), [("Agent Ann", "viewing")])
        self.assertEqual(presence(self.ann, "replying"), [("Agent Bob", "viewing")], "not herself")
        self.assertEqual(presence(self.bob, "viewing"), [("Agent Ann", "replying")], "her latest status")
        self.assertEqual(presence(self.ann, "left"), [("Agent Bob", "viewing")])
        self.assertEqual(presence(self.bob, "viewing"), [], "gone")
        with self.assertRaisesRegex(UserError, "Unknown presence"):
            self.mention.with_user(self.ann).notify_presence("dancing")

    def test_presence_channel_for_readers_only(self):
        channel = f"social.mention_{self.mention.id}"
        Websocket = self.env["ir.websocket"]
        self.assertEqual(Websocket.with_user(self.ann)._social_mention_channels([channel, "broadcast"]),
                         ["broadcast", self.mention], "the mention's own channel instead of the name")
        elsewhere = self.env["res.company"].create({"name": "Collision elsewhere"})
        stranger = new_test_user(self.env, login="collision_stranger", groups="social_crm.social_crm_group_user",
                                 company_id=elsewhere.id, company_ids=[elsewhere.id])
        portal = new_test_user(self.env, login="collision_portal", groups="base.group_portal")
        for user in (stranger, portal):
            self.assertEqual(Websocket.with_user(user)._social_mention_channels([channel]), [], user.login)
