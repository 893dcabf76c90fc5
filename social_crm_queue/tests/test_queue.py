from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.queue_job.job import Job, identity_exact
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.social_crm.tests.test_connectors import ConnectorCase, json_reply
from odoo.addons.social_crm.tests.test_mention_import import HEADER, csv_file, row

from ..jobs import JOBS_CONTEXT_KEY

TAG_PATH = "/api/v1/timelines/tag/acme"


def items(prefix, count, text="I love the new Acme boots, great quality"):
    now = fields.Datetime.now().isoformat() + "Z"
    return [{"id": f"{prefix}{index}", "author": {"handle": f"{prefix}fan{index}", "followers": 10},
             "text": text, "lang": "en", "posted_at": now} for index in range(count)]


@tagged("social_crm_queue", "post_install", "-at_install")
class TestQueue(ConnectorCase):
    """Polls, after-work and imports as jobs; and the inline path that stays without the job queue."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("social_crm.allow_private_source_urls", "True")
        self.env["social.source"].search([]).active = False
        self.sources = self.env["social.source"].create([{
            "name": f"#acme{number}", "source_type": "mastodon", "base_url": self.server.url, "hashtag": "acme",
        } for number in range(2)])
        self.webhook = self.env["social.source"].create({"name": "Pushed", "source_type": "webhook", "network": "x"})
        self.queued = self.env(context=dict(self.env.context, **{JOBS_CONTEXT_KEY: True}))
        self.former_jobs = self.env["queue.job"].search([])

    def mentions(self, sources):
        return self.env["social.mention"].search([("source_id", "in", sources.ids)])

    def stored_jobs(self, method):
        return self.env["queue.job"].search([("method_name", "=", method), ("id", "not in", self.former_jobs.ids)],
                                            order="id")

    # ------------------------------------------------------------------ polls

    def test_cron_queues_one_poll_per_due_source(self):
        self.sources[1].last_run_at = fields.Datetime.now() - timedelta(minutes=5)  # polled 5 min ago: not due
        self.sources[0].last_run_at = fields.Datetime.now() - timedelta(hours=2)
        Source = self.queued["social.source"]
        with trap_jobs() as trap:
            self.assertEqual(Source._cron_poll_sources(), 1)
            trap.assert_jobs_count(1)
            trap.assert_enqueued_job(Source.browse(self.sources[0].id)._poll_job, properties={
                "identity_key": identity_exact, "description": "Poll #acme0"})
            self.assertEqual(trap.enqueued_jobs[0].channel, "root.social.poll")
            self.assertFalse(self.server.received, "nothing polled by the cron itself")
            self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"), json_reply("[]"))
            trap.perform_enqueued_jobs()
            self.assertEqual(trap.enqueued_jobs, [], "the poll job did the after-work of its pages itself")
        self.assertEqual(len(self.server.received), 2)
        self.assertTrue(self.mentions(self.sources[0]))
        self.assertFalse(self.mentions(self.sources[1]))
        self.assertFalse(self.sources[0].last_error)

    def test_a_waiting_poll_is_not_queued_twice(self):
        Source = self.queued["social.source"]
        self.assertEqual(Source._cron_poll_sources(), 2)
        self.assertEqual(Source._cron_poll_sources(), 2, "both still due")
        jobs = self.stored_jobs("_poll_job")
        self.assertEqual(len(jobs), 2, "one job per source, whatever the number of runs")
        self.assertEqual(sorted(job.records.ids for job in jobs), sorted([source.id] for source in self.sources))
        self.assertEqual(set(jobs.mapped("channel")), {"root.social.poll"})
        self.assertEqual(set(jobs.mapped("state")), {"pending"})
        self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"), json_reply("[]"),
                   json_reply("mastodon_tag_page1.json"), json_reply("[]"))
        for job in jobs:
            Job.load(self.env, job.uuid).perform()
        self.assertEqual(len(self.mentions(self.sources[0])), len(self.mentions(self.sources[1])))
        self.assertTrue(self.mentions(self.sources[0]))

    def test_a_source_polled_elsewhere_is_skipped(self):
        """Another transaction (a job on another server) holds the source's lock: this job ends at once."""
        source = self.sources[0]
        self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"), json_reply("[]"))
        with self.registry.cursor() as other:
            other.execute(SQL("SELECT pg_try_advisory_xact_lock('social_source'::regclass::oid::int, %s)",
                              source.id))
            self.assertTrue(other.fetchone()[0])
            self.assertEqual(source._poll_job(), "polled by another job at this moment")
            self.assertFalse(self.server.received)
        self.assertEqual(source._poll_job().split(",")[1:], [" 0 known", " 0 failed"], "lock released: polled")
        self.assertTrue(self.mentions(source))

    def test_without_jobs_the_cron_polls_itself(self):
        """The inline path (the default while Odoo runs tests, and without social_crm_queue)."""
        self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"), json_reply("[]"),
                   json_reply("mastodon_tag_page1.json"), json_reply("[]"))
        with trap_jobs() as trap:
            self.assertEqual(self.env["social.source"]._cron_poll_sources(), 2)
            trap.assert_jobs_count(0)
        self.assertEqual(len(self.server.received), 4)
        self.assertTrue(self.mentions(self.sources[0]) and self.mentions(self.sources[1]))

    def test_no_delay_context_runs_the_job_at_once(self):
        self.serve(TAG_PATH, json_reply("mastodon_tag_page1.json"), json_reply("[]"),
                   json_reply("mastodon_tag_page1.json"), json_reply("[]"))
        self.queued["social.source"].with_context(queue_job__no_delay=True)._cron_poll_sources()
        self.assertFalse(self.stored_jobs("_poll_job"))
        self.assertTrue(self.mentions(self.sources[0]) and self.mentions(self.sources[1]))

    # ------------------------------------------------------------------ after-work of ingested batches

    def test_after_work_of_a_batch_is_one_job(self):
        if "social.reputation.daily" not in self.env:
            self.skipTest("the series of social_crm_reputation show the after-work")
        Daily = self.env["social.reputation.daily"]
        public = self.queued.ref("base.public_user")
        Mention = self.queued["social.mention"].with_user(public).sudo()  # as the webhook stores them
        with trap_jobs() as trap:
            result = Mention._ingest(self.webhook.with_env(Mention.env), items("b", 3))
            self.assertEqual(result["created"], 3)
            trap.assert_jobs_count(1)
            mentions = self.env["social.mention"].browse(sorted(m.id for m in result["mentions"].values()))
            job = trap.enqueued_jobs[0]
            self.assertEqual((job.method_name, sorted(job.recordset.ids), job.channel),
                             ("_mention_after_work_job", mentions.ids, "root.social.ingest"))
            self.assertIs(trap.calls[0].properties["identity_key"], identity_exact)
            self.assertEqual(job.user_id, public.id, "queued by the webhook's user, run as superuser")
            self.assertEqual(mentions.mapped("sentiment_label"), ["positive"] * 3, "scored when stored")
            self.assertFalse(Daily.search([("source_id", "=", self.webhook.id)]), "the series wait for the job")
            trap.perform_enqueued_jobs()
        daily = Daily.search([("source_id", "=", self.webhook.id)])
        self.assertEqual((len(daily), daily.mention_count, daily.positive_count), (1, 3, 3))

    def test_after_work_is_queued_once_per_batch(self):
        mentions = self.env["social.mention"].create([{
            "source_id": self.webhook.id, "external_id": f"once{index}", "body": "Acme boots", "author_handle": "@x",
            "network": "x", "posted_at": fields.Datetime.now()} for index in range(2)]).with_env(self.queued)
        mentions._mention_schedule_after_work()
        mentions._mention_schedule_after_work()
        jobs = self.stored_jobs("_mention_after_work_job")
        self.assertEqual((len(jobs), jobs.records.ids, jobs.state), (1, mentions.ids, "pending"))
        mentions[0].unlink()
        self.assertEqual(Job.load(self.env, jobs.uuid).perform(), "1 mentions", "a deleted mention is left out")

    def test_without_jobs_the_after_work_is_done_at_once(self):
        if "social.reputation.daily" not in self.env:
            self.skipTest("the series of social_crm_reputation show the after-work")
        with trap_jobs() as trap:
            result = self.env["social.mention"]._ingest(self.webhook, items("c", 2))
            trap.assert_jobs_count(0)
        self.assertEqual(result["created"], 2)
        daily = self.env["social.reputation.daily"].search([("source_id", "=", self.webhook.id)])
        self.assertEqual(daily.mention_count, 2)

    def test_stream_batches_keep_their_after_work_inline(self):
        if "social.reputation.daily" not in self.env:
            self.skipTest("the series of social_crm_reputation show the after-work")
        stream = self.queued["social.source"].browse(self.webhook.id)
        with trap_jobs() as trap:
            created, deleted = stream._stream_store(items("s", 2), [], {"stream_received_count": 2})
            trap.assert_jobs_count(0)
        self.assertEqual((created, deleted), (2, 0))
        daily = self.env["social.reputation.daily"].search([("source_id", "=", self.webhook.id)])
        self.assertEqual(daily.mention_count, 2, "the series are up to date when the batch is stored")
        self.assertEqual(self.webhook.stream_received_count, 2)
        with trap_jobs() as trap:
            self.queued["social.mention"]._ingest(self.webhook.with_env(self.queued), items("p", 1))
            self.assertEqual([job.method_name for job in trap.enqueued_jobs], ["_mention_after_work_job"],
                             "other batches still queue their after-work")

    # ------------------------------------------------------------------ CSV imports

    def test_background_import_is_a_job(self):
        source = self.env["social.source"].create({"name": "Export", "source_type": "csv", "network": "x"})
        wizard = self.queued["social.mention.import"].with_context(
            active_model="social.source", active_id=source.id).create(
            {"file": csv_file([HEADER] + [row(number, handle=f"@fan_{number % 7}") for number in range(2500)]),
             "filename": "mentions.csv"})
        wizard.action_load()
        self.assertTrue(wizard.runs_in_background)
        with trap_jobs() as trap:
            wizard.action_import()
            import_job = wizard.job_id
            trap.assert_jobs_count(1)
            job = trap.enqueued_jobs[0]
            self.assertEqual((job.method_name, job.recordset, job.channel), ("_import_job", import_job,
                                                                             "root.social.import"))
            self.assertEqual(import_job.state, "queued")
        # the job commits as it goes: queue_job runs it on a cursor of its own, which would not see
        # this test's data; its method is run here as that cursor would
        self.assertEqual(import_job._import_job(), "2500 rows, 2500 new mentions")
        self.assertEqual((import_job.state, import_job.done_rows, import_job.batch_count, import_job.created_count),
                         ("done", 2500, 3, 2500))
        self.assertEqual(len(self.mentions(source)), 2500)

    def test_hourly_import_run_queues_waiting_imports(self):
        source = self.env["social.source"].create({"name": "Export", "source_type": "csv", "network": "x"})
        wizard = self.env["social.mention.import"].with_context(
            active_model="social.source", active_id=source.id).create(
            {"file": csv_file([HEADER] + [row(number) for number in range(2500)]), "filename": "mentions.csv"})
        wizard.action_load()
        wizard.action_import()  # inline path: the cron is woken up, no job
        self.assertFalse(self.stored_jobs("_import_job"))
        self.queued["social.mention.import.job"]._cron_import_mentions()
        self.queued["social.mention.import.job"]._cron_import_mentions()
        jobs = self.stored_jobs("_import_job")
        self.assertEqual((len(jobs), jobs.records, jobs.channel), (1, wizard.job_id, "root.social.import"))
        self.assertEqual(wizard.job_id.done_rows, 0, "the cron only queued it")
        jobs.records._import_job()
        self.assertEqual((wizard.job_id.state, wizard.job_id.created_count), ("done", 2500))
