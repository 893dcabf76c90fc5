"""Reply approval: with the setting on, the replies of users who may not publish wait for a
manager, who posts them or sends them back with a reason; nothing reaches the network before."""
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tests.common import new_test_user

from .test_connectors import json_reply
from .test_social_reply import ReplyCase, status

PATH = "/api/v1/statuses"


@tagged("social_crm", "post_install", "-at_install")
class TestReplyApproval(ReplyCase):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("social_crm.reply_approval", "True")
        self.mention = self.inbound("mastodon", "110000000000000001", visibility="unlisted", lang="en")
        self.account("mastodon")
        self.Mention = self.env["social.mention"]

    def submit(self, user, text="In stock, Ann!"):
        return self.Mention.browse(self.mention.with_user(user).reply(text))

    def approval_activities(self, reply):
        return reply.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.env.ref(
                "social_crm.mail_activity_type_social_approve_reply"))

    def test_agent_reply_waits_then_is_posted_once_approved(self):
        self.mention.team_id = False
        reply = self.submit(self.agent)
        self.assertRecordValues(reply, [{"delivery_state": "to_approve", "delivery_next_at": False,
                                         "user_id": self.agent.id}])
        self.assertEqual(self.mention.state, "new", "not answered until the customer can see it")
        self.assertFalse(self.mention.replied_at)
        self.assertIn("waiting for approval", self.mention.message_ids[0].body)
        self.assertIn(self.manager, self.approval_activities(reply).user_id, "managers approve without a team leader")
        self.assertEqual(self.deliver(), 0)
        self.assertFalse(self.sent(PATH), "nothing posted before the approval")

        with self.assertRaises(AccessError):
            reply.with_user(self.agent).action_approve_reply()
        reply.with_user(self.manager).action_approve_reply()
        self.assertEqual(reply.delivery_state, "queued")
        self.assertEqual(self.mention.state, "answered")
        self.assertTrue(self.mention.replied_at)
        self.assertEqual(self.mention.replied_by_id, self.agent, "the answer is its author's, not the approver's")
        self.assertFalse(self.approval_activities(reply))
        self.assertIn("approved by", self.mention.message_ids[0].body)
        self.serve(PATH, json_reply(status("110000000000000099", "ok")))
        self.assertEqual(self.deliver(), 1)
        self.assertEqual(self.sent(PATH)[0].json()["status"], "@ann@mastodon.example In stock, Ann!")
        self.assertEqual(reply.delivery_state, "sent")
        with self.assertRaisesRegex(UserError, "waiting for approval"):
            reply.with_user(self.manager).action_approve_reply()

    def test_team_leader_approves(self):
        leader = new_test_user(self.env, "approval_leader", groups="social_crm.social_crm_group_manager")
        self.mention.team_id = self.env["crm.team"].create({"name": "Care", "user_id": leader.id})
        reply = self.submit(self.agent)
        self.assertEqual(self.approval_activities(reply).user_id, leader)

    def test_rejected_reply_is_edited_and_submitted_again(self):
        reply = self.submit(self.agent, "It is out of stock lol")
        rejection = Form(self.env["social.mention.reply.reject"].with_user(self.manager).with_context(
            **reply.with_user(self.manager).action_open_reject_reply()["context"]))
        rejection.reason = "Say when it comes back, and no 'lol'."
        rejection.save().action_reject()
        self.assertRecordValues(reply, [{"delivery_state": "rejected",
                                         "delivery_error": "Say when it comes back, and no 'lol'."}])
        note = self.mention.message_ids[0]
        self.assertIn("did not approve the reply", note.body)
        self.assertIn(self.agent.partner_id, note.partner_ids, "the author is told")
        self.assertEqual(self.mention.state, "new")

        action = reply.with_user(self.agent).action_edit_reply()
        composer = Form(self.env["social.mention.reply"].with_user(self.agent).with_context(**action["context"]))
        self.assertTrue(composer.needs_approval)
        composer.body = "Back in stock on Monday, Ann: shall we keep one for you?"
        composer.save().action_send()
        self.assertEqual(reply.delivery_state, "to_approve")
        self.assertIn("Back in stock", reply.body)
        self.assertTrue(self.approval_activities(reply))
        self.assertEqual(self.deliver(), 0)

    def test_who_may_publish_posts_at_once(self):
        self.assertEqual(self.submit(self.manager).delivery_state, "queued")
        self.env["ir.config_parameter"].sudo().set_param("social_crm.reply_approval", "False")
        other = self.inbound("mastodon", "110000000000000002")
        self.assertEqual(self.Mention.browse(other.with_user(self.agent).reply("Hi")).delivery_state, "queued",
                         "without the setting, nobody waits")

    def test_composer_says_submit_for_approval(self):
        composer = Form(self.env["social.mention.reply"].with_user(self.agent).with_context(
            default_mention_id=self.mention.id))
        self.assertTrue(composer.needs_approval)
        composer.body = "Thanks!"
        composer.save().action_send()
        reply = self.mention.child_ids.filtered(lambda child: child.direction == "outbound")
        self.assertEqual(reply.delivery_state, "to_approve")
        self.assertFalse(Form(self.env["social.mention.reply"].with_user(self.manager).with_context(
            default_mention_id=self.mention.id)).needs_approval)
