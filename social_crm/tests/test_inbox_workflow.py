from datetime import timedelta

import pytz
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from ..models.social_reply_template import render_placeholders
from .common import SocialCrmCommon


def item(external_id, handle="ann_test", text="Where can I buy the Acme phone?"):
    return {"id": external_id, "network": "x", "author": {"handle": handle, "name": "Ann", "followers": 50},
            "text": text, "url": f"https://x.com/{handle}/status/{external_id}",
            "posted_at": "2026-11-01T09:00:00Z", "lang": "en", "parent_id": None}


@tagged("social_crm", "post_install", "-at_install")
class TestInboxWorkflow(SocialCrmCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(cls.env, login="sc_inbox_agent", groups="social_crm.social_crm_group_user",
                                  tz="Europe/Brussels")
        cls.other_agent = new_test_user(cls.env, login="sc_inbox_other", groups="social_crm.social_crm_group_user",
                                        tz="UTC")
        cls.source = cls.env["social.source"].create({
            "name": "Inbox hook", "source_type": "webhook", "network": "x",
            "user_id": cls.agent.id})
        cls.Mention = cls.env["social.mention"]
        cls.answer_type = cls.env.ref("social_crm.mail_activity_type_social_answer")

    def ingest(self, *items):
        return list(self.Mention._ingest(self.source, list(items))["mentions"].values())

    def activities(self, mentions):
        return self.env["mail.activity"].search([
            ("res_model", "=", "social.mention"), ("res_id", "in", mentions.ids),
            ("activity_type_id", "=", self.answer_type.id)])

    # ------------------------------------------------------------------ response activity

    def test_activity_planned_on_ingestion(self):
        with freeze_time("2026-11-01 10:00:00"):
            first, second = self.ingest(item("a1"), item("a2", handle="stranger"))
        activities = self.activities(first | second)
        self.assertEqual(len(activities), 2, "one activity per mention")
        self.assertEqual(activities.user_id, self.agent)
        # due at the response deadline (business hours), on its day in the assignee's time zone
        due_day = pytz.utc.localize(first.response_due_at).astimezone(pytz.timezone("Europe/Brussels")).date()
        self.assertEqual(set(activities.mapped("date_deadline")), {due_day})
        self.assertTrue(all(activities.mapped("automated")))
        self.assertIn("Answer by", activities[0].summary)

    def test_activities_planned_in_batch(self):
        self.ingest(item("warm", handle="warm_up"))

        def queries(prefix, count):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            mentions = self.ingest(*(item(f"{prefix}{i}", handle=f"{prefix}_{i}") for i in range(count)))
            self.assertEqual(len(self.activities(self.Mention.browse([m.id for m in mentions]))), count)
            return self.cr.sql_log_count - before

        small, big = queries("small", 5), queries("big", 100)
        self.assertLessEqual(big, small + 5, "nothing per mention: one create for all the activities")

    def test_activity_due_at_the_response_deadline_in_assignee_timezone(self):
        self.source.user_id = False
        mention = self.ingest(item("tz1"))[0]
        self.assertTrue(mention.response_due_at, "a received mention has its response deadline")
        due = fields.Datetime.now().replace(hour=23, minute=30, second=0) + timedelta(days=1)
        mention.response_due_at = due
        mention.user_id = self.agent  # in Brussels, one or two hours ahead of UTC: the day after
        activity = self.activities(mention)
        self.assertEqual(activity.date_deadline, (due + timedelta(days=1)).date())
        self.assertIn("Answer by", activity.summary)
        utc = self.ingest(item("tz2"))[0]
        utc.user_id = self.other_agent
        self.assertEqual(self.activities(utc).date_deadline,
                         utc.response_due_at.date(), "one deadline: the response target's")

    def test_no_activity_without_assignee(self):
        self.source.user_id = False
        mention = self.ingest(item("u1"))[0]
        self.assertFalse(self.activities(mention))
        mention.user_id = self.other_agent
        self.assertEqual(self.activities(mention).user_id, self.other_agent, "planned on assignment")

    def test_reassignment_moves_the_activity(self):
        mention = self.ingest(item("r1"))[0]
        deadline = self.activities(mention).date_deadline
        mention.user_id = self.other_agent
        activity = self.activities(mention)
        self.assertEqual(len(activity), 1, "moved, not duplicated")
        self.assertEqual((activity.user_id, activity.date_deadline), (self.other_agent, deadline))
        mention.action_to_answer()
        self.assertEqual(len(self.activities(mention)), 1, "a state change keeps the one activity")
        mention.user_id = False
        self.assertFalse(self.activities(mention), "removed when unassigned")

    def test_batch_reassignment(self):
        mentions = self.Mention.browse([m.id for m in self.ingest(*(item(f"b{i}") for i in range(5)))])
        mentions.write({"user_id": self.other_agent.id})
        activities = self.activities(mentions)
        self.assertEqual(len(activities), 5)
        self.assertEqual(activities.user_id, self.other_agent)
        self.assertEqual(sorted(activities.mapped("res_id")), sorted(mentions.ids))

    def test_answered_marks_done_ignored_removes(self):
        answered, ignored = self.ingest(item("d1"), item("d2"))
        answered.state = "answered"
        self.assertFalse(self.activities(answered))
        done_messages = answered.message_ids.filtered(lambda m: m.mail_activity_type_id == self.answer_type)
        self.assertTrue(done_messages, "the activity was marked as done (logged), not just deleted")
        ignored.action_ignore()
        self.assertFalse(self.activities(ignored))
        self.assertFalse(ignored.message_ids.filtered(lambda m: m.mail_activity_type_id == self.answer_type))
        ignored.action_reopen()
        self.assertEqual(len(self.activities(ignored)), 1, "planned again when reopened")

    def test_escalated_keeps_its_activity(self):
        mention = self.ingest(item("e1"))[0]
        mention.action_escalate()
        self.assertEqual(len(self.activities(mention)), 1)

    # ------------------------------------------------------------------ templates

    def test_template_placeholders(self):
        mention = self.ingest(item("t1"))[0]
        template = self.env["social.reply.template"].create({
            "name": "Hello",
            "body": "Hi {author} ({name}), thanks for your post on {network}! {unknown} {name.__class__} {0} {",
        })
        self.assertEqual(
            template._render_body(mention),
            "Hi ann_test (Ann Test), thanks for your post on X (Twitter)! {unknown} {name.__class__} {0} {")
        self.assertEqual(render_placeholders("{a}{b}", {"a": "{b}", "b": "x"}), "{b}x", "values are not re-rendered")

    def test_reply_wizard(self):
        mention = self.ingest(item("w1"))[0]
        template = self.env["social.reply.template"].create(
            {"name": "Thanks", "body": "Thanks {author}! <script>alert(1)</script>"})
        wizard_form = Form(self.env["social.mention.reply"].with_user(self.agent).with_context(
            default_mention_id=mention.id))
        wizard_form.template_id = template
        self.assertEqual(wizard_form.body, "Thanks ann_test! <script>alert(1)</script>")
        wizard = wizard_form.save()
        wizard.action_record()
        mention.invalidate_recordset()
        self.assertEqual(mention.state, "answered")
        self.assertEqual(mention.reply_body, "Thanks ann_test! <script>alert(1)</script>")
        self.assertTrue(mention.replied_at)
        self.assertFalse(self.activities(mention), "the response activity is completed")
        note = mention.message_ids.filtered(lambda m: "Reply recorded" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertNotIn("sent", note.body, "nothing was posted to the network")
        self.assertEqual(wizard.mention_url, "https://x.com/ann_test/status/w1", "the composer links to the post")
        self.assertNotIn("<script>", note.body)
        self.assertIn("&lt;script&gt;", note.body)

    def test_reply_wizard_needs_text(self):
        mention = self.ingest(item("w2"))[0]
        wizard = self.env["social.mention.reply"].create({"mention_id": mention.id, "body": "  "})
        with self.assertRaises(UserError):
            wizard.action_record()
        self.assertEqual(mention.state, "new")

    # ------------------------------------------------------------------ take private

    def take_private(self, mention, channel, **values):
        return self.env["social.mention.take.private"].with_user(self.agent).create(
            {"mention_id": mention.id, "channel": channel, **values})

    def test_take_private_refused_without_partner(self):
        mention = self.ingest(item("p0", handle="nobody_known"))[0]
        self.assertFalse(mention.partner_id)
        wizard = self.take_private(mention, "email", body="Hello")
        self.assertIn("not linked to a contact", wizard.refusal_reason)
        with self.assertRaises(UserError):
            wizard.action_send()

    def test_take_private_refused_opt_out(self):
        mention = self.ingest(item("p1"))[0]
        self.assertEqual(mention.partner_id, self.ann)
        self.ann.social_opt_out = True
        for channel in ("email", "sms"):
            wizard = self.take_private(mention, channel, body="Hello")
            self.assertIn("opted out", wizard.refusal_reason)

    def test_take_private_refused_blacklisted_email(self):
        mention = self.ingest(item("p2"))[0]
        self.env["mail.blacklist"].create({"email": "ann.test@example.com"})
        wizard = self.take_private(mention, "email", body="Hello")
        self.assertIn("blacklisted", wizard.refusal_reason)
        self.assertIn("ann.test@example.com", wizard.refusal_reason)
        count = self.env["mail.mail"].search_count([("recipient_ids", "in", self.ann.ids)])
        with self.assertRaises(UserError):
            wizard.action_send()
        self.assertEqual(self.env["mail.mail"].search_count([("recipient_ids", "in", self.ann.ids)]), count)
        self.assertFalse(self.take_private(mention, "sms", body="Hello").refusal_reason, "SMS still allowed")

    def test_take_private_refused_blacklisted_phone(self):
        mention = self.ingest(item("p3"))[0]
        self.env["phone.blacklist"].create({"number": "+14155550177"})
        wizard = self.take_private(mention, "sms", body="Hello")
        self.assertIn("blacklisted", wizard.refusal_reason)
        self.assertIn("+14155550177", wizard.refusal_reason)

    def test_take_private_refused_no_address(self):
        mention = self.ingest(item("p4"))[0]
        self.ann.write({"email": False, "phone": False})
        self.assertIn("no valid e-mail", self.take_private(mention, "email", body="Hi").refusal_reason)
        self.assertIn("no valid phone", self.take_private(mention, "sms", body="Hi").refusal_reason)

    def test_take_private_by_email(self):
        mention = self.ingest(item("p5"))[0]
        wizard = self.take_private(mention, "email", subject="Your order", body="Hello <b>Ann</b>")
        self.assertFalse(wizard.refusal_reason)
        self.assertEqual(wizard.recipient, "ann.test@example.com")
        wizard.action_send()
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.ann.ids), ("subject", "=", "Your order")])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("&lt;b&gt;Ann&lt;/b&gt;", mail.body_html)
        log = mention.message_ids.filtered(lambda m: "privately" in (m.body or ""))
        self.assertEqual(len(log), 1)
        self.assertNotIn("Ann</b>", log.body, "the private content stays off the public mention")
        self.assertNotIn("&lt;b&gt;", log.body)

    def test_take_private_by_sms(self):
        mention = self.ingest(item("p6"))[0]
        form = Form(self.env["social.mention.take.private"].with_user(self.agent).with_context(
            default_mention_id=mention.id))
        form.channel = "sms"
        self.assertFalse(form.refusal_reason)
        form.body = "Hello Ann, let us sort this out here."
        form.save().action_send()
        sms = self.env["sms.sms"].sudo().search([("partner_id", "=", self.ann.id)])
        self.assertEqual(len(sms), 1)
        self.assertEqual((sms.state, sms.number), ("outgoing", "+14155550177"), "queued, not sent inline")
        self.assertIn("let us sort this out", sms.body)
        self.assertTrue(mention.message_ids.filtered(lambda m: "privately" in (m.body or "")))
