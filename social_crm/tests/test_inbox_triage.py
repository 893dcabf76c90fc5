"""Triage in the inbox: every state a kanban column, taking a mention over, moving on to the next
mention waiting for an answer."""
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SocialCrmCommon


@tagged("social_crm", "post_install", "-at_install")
class TestInboxTriage(SocialCrmCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(cls.env, login="sc_triage_agent", name="Tess Agent",
                                  groups="social_crm.social_crm_group_user")
        cls.colleague = new_test_user(cls.env, login="sc_triage_colleague", name="Colin Colleague",
                                      groups="social_crm.social_crm_group_user")
        cls.source = cls.env["social.source"].create({"name": "Triage hook", "source_type": "webhook", "network": "x"})
        cls.Mention = cls.env["social.mention"]
        # the oldest mentions of the database come first in the triage order: these are older still
        cls.start = fields.Datetime.now().replace(microsecond=0) - timedelta(days=3650)
        # a calendar with no leave, whatever the database holds: deadlines follow posting times
        calendar = cls.env["resource.calendar"].create({"name": "Triage hours", "tz": "UTC"})
        cls.env.company.resource_calendar_id = calendar

    def mention(self, external_id, hours, user=False, state="new", network="x"):
        return self.Mention.create({
            "source_id": self.source.id, "network": network, "external_id": external_id,
            "author_handle": f"triage_{external_id}", "body": "Any news about my order?",
            "posted_at": self.start + timedelta(hours=hours), "user_id": user and user.id, "state": state})

    def test_kanban_shows_every_state(self):
        self.mention("k1", 0)
        groups = self.Mention.web_read_group([("source_id", "=", self.source.id)], ["state"], ["state"])["groups"]
        self.assertEqual([(group["state"], group["state_count"]) for group in groups],
                         [("new", 1), ("to_answer", 0), ("answered", 0), ("escalated", 0), ("ignored", 0)])

    def test_take_over_logs_who_took_it(self):
        mention = self.mention("t1", 0, user=self.colleague)
        mention.with_user(self.agent).action_take_over()
        self.assertEqual(mention.user_id, self.agent)
        message = mention.message_ids[0]
        self.assertEqual(message.author_id, self.agent.partner_id)
        self.assertIn("Tess Agent took this mention over from Colin Colleague.", message.body)

    def test_next_unanswered_is_the_most_urgent_of_mine_or_unassigned(self):
        current = self.mention("n0", 0, user=self.agent)
        later = self.mention("n1", 30, user=self.agent)
        urgent = self.mention("n2", 20)  # unassigned: anyone may take it
        self.mention("n3", 1, user=self.colleague)  # someone else's
        self.mention("n4", 2, user=self.agent, state="answered")
        self.assertLessEqual(urgent.response_due_at, later.response_due_at)  # then the oldest first
        action = current.with_user(self.agent)._action_open_next_unanswered()
        self.assertEqual((action["res_model"], action["res_id"], action["views"]),
                         ("social.mention", urgent.id, [(False, "form")]))

    def test_ignore_from_the_form_opens_the_next(self):
        first, second = self.mention("f1", 0, user=self.agent), self.mention("f2", 1, user=self.agent)
        self.assertIsNone(first.with_user(self.agent).action_escalate(), "outside the form: no navigation")
        action = second.with_user(self.agent).with_context(social_open_next=True).action_ignore()
        self.assertEqual(second.state, "ignored")
        self.assertNotEqual(action.get("res_id"), second.id)
        self.assertNotEqual(action.get("res_id"), first.id, "escalated: no longer waits in the queue")

    def test_inbox_zero(self):
        self.Mention.search([("state", "in", ("new", "to_answer"))]).state = "ignored"
        last = self.mention("z1", 0, user=self.agent)
        action = last.with_user(self.agent)._action_open_next_unanswered()
        self.assertEqual((action["tag"], action["params"]["title"]), ("display_notification", "Inbox zero"))

    def test_reply_composer_opens_the_next(self):
        current, following = self.mention("r1", 0, user=self.agent), self.mention("r2", 1, user=self.agent)
        Reply = self.env["social.mention.reply"].with_user(self.agent)
        composer = Reply.with_context(default_mention_id=current.id).create({"body": "On its way!"})
        action = composer.action_record()
        self.assertEqual(current.state, "answered")
        self.assertEqual((action["res_model"], action["res_id"]), ("social.mention", following.id))
        self.Mention.search([("state", "in", ("new", "to_answer"))]).state = "ignored"
        last = self.mention("r3", 2, user=self.agent)
        action = Reply.with_context(default_mention_id=last.id).create({"body": "Done."}).action_record()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["next"], {"type": "ir.actions.act_window_close"},
                         "inbox zero: the composer closes on the answered mention")

    def test_network_icon(self):
        self.assertEqual(self.mention("i1", 0).network_icon, "fa-twitter")
        self.assertEqual(self.mention("i2", 0, network="other").network_icon, "fa-globe")
