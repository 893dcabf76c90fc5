"""Reply deliveries as jobs: one per reply on *root.social.deliver*, at the time it is due, posted
once to a Mastodon instance played on 127.0.0.1."""
from odoo.tests import tagged

from odoo.addons.queue_job.job import Job, identity_exact
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.social_crm.tests.test_connectors import json_reply
from odoo.addons.social_crm.tests.test_social_reply import ReplyCase, status

from ..jobs import JOBS_CONTEXT_KEY

PATH = "/api/v1/statuses"


@tagged("social_crm_queue", "post_install", "-at_install")
class TestQueueDelivery(ReplyCase):
    def setUp(self):
        super().setUp()
        self.mention = self.inbound("mastodon", "110000000000000001", visibility="unlisted", lang="en")
        self.account("mastodon")
        self.queued = self.env(context=dict(self.env.context, **{JOBS_CONTEXT_KEY: True}))
        self.former_jobs = self.env["queue.job"].search([("method_name", "=", "_deliver_job")])

    def perform(self, job_record):
        """Run a stored job as the runner does (started, then done) and as outside tests: with jobs
        enabled (a stored job keeps only some context keys, and tests run without jobs unless asked)."""
        job = Job.load(self.env, job_record.uuid)
        job.recordset = job.recordset.with_context(**{JOBS_CONTEXT_KEY: True})
        job.set_started()
        job.store()
        result = job.perform()
        job.set_done(result=result)
        job.store()
        return result

    def jobs(self):
        return self.env["queue.job"].search([("method_name", "=", "_deliver_job"),
                                             ("id", "not in", self.former_jobs.ids)], order="id")

    def test_a_reply_is_one_delivery_job(self):
        with trap_jobs() as trap:
            reply = self.env["social.mention"].browse(
                self.mention.with_env(self.queued).with_user(self.agent).reply("In stock!"))
            (job,) = [job for job in trap.enqueued_jobs if job.method_name == "_deliver_job"]
            self.assertEqual((job.method_name, job.recordset.ids, job.channel),
                             ("_deliver_job", reply.ids, "root.social.deliver"))
            (call,) = [call for call in trap.calls if call.method.__name__ == "_deliver_job"]
            self.assertIs(call.properties["identity_key"], identity_exact)
            self.assertFalse(self.sent(PATH), "nothing posted inside the user's request")
            self.serve(PATH, json_reply(status("110000000000000099", "@ann In stock!")))
            trap.perform_enqueued_jobs()
        self.assertEqual(reply.delivery_state, "sent")
        self.assertEqual(len(self.sent(PATH)), 1)

    def test_a_refused_attempt_is_retried_by_a_later_job_and_posted_once(self):
        reply = self.env["social.mention"].browse(self.mention.with_env(self.queued).reply("In stock!"))
        (first,) = self.jobs()
        self.serve(PATH, json_reply('{"error": "Internal Server Error"}', status=503),
                   json_reply(status("110000000000000099", "ok")))
        self.assertEqual(self.perform(first), "not sent: queued")
        retry = self.jobs() - first
        self.assertEqual(len(retry), 1, "the back-off plans the next attempt as a job")
        self.assertEqual(retry.eta, reply.delivery_next_at)
        self.assertEqual(self.perform(retry), "not due, sent, or being sent by another worker",
                         "a job run before its time posts nothing")
        self.make_due(reply)
        self.assertEqual(self.perform(retry), "sent")
        self.assertEqual(self.perform(first), "not due, sent, or being sent by another worker")
        self.assertEqual(len(self.sent(PATH)), 2, "one refused attempt, one post")
        self.assertEqual(reply.delivery_state, "sent")

    def test_without_jobs_the_scheduled_action_delivers(self):
        reply = self.env["social.mention"].browse(self.mention.reply("In stock!"))
        self.assertFalse(self.jobs())
        self.serve(PATH, json_reply(status("110000000000000099", "ok")))
        self.assertEqual(self.deliver(), 1)
        self.assertEqual(reply.delivery_state, "sent")
