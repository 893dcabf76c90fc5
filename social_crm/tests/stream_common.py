import threading
import time
import uuid
from urllib.parse import urlsplit

from odoo.tests import common
from odoo.tools import SQL

from ..connectors import ALLOW_PRIVATE_PARAM
from .common import CommittedCase
from .jetstream_replay import JetstreamReplay
from .test_stream_jetstream import delete_event, post_event


class CommittedStreamCase(CommittedCase):
    """A live Bluesky source committed for streams running on connections of their own, reading a
    Jetstream replay on 127.0.0.1; removed at the end with what the streams stored."""

    replay_options = {}
    replay_class = JetstreamReplay

    @classmethod
    def _request_handler(cls, s, r, /, **kw):
        """Requests to the replays on 127.0.0.1 go as they are, with their own (connect, read)
        timeouts (Odoo's test handler raises timeouts to 10 s and fails on tuples)."""
        if urlsplit(r.url).hostname != "127.0.0.1":
            return super()._request_handler(s, r, **kw)
        return common._super_send(s, r, **kw)

    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:10]
        self.did = f"did:plc:live{self.tag}"
        self.clock = int(time.time() * 1_000_000)
        self.replay = self.replay_class(**self.replay_options).__enter__()
        self.addCleanup(self.replay.stop)
        with self.committed_env() as env:
            self.private_before = env["ir.config_parameter"].get_param(ALLOW_PRIVATE_PARAM)
            env["ir.config_parameter"].set_param(ALLOW_PRIVATE_PARAM, "True")
            self.source_id = env["social.source"].create(self.source_vals()).id
        self.addCleanup(self.remove_committed)

    def source_vals(self):
        return {"name": f"Live {self.tag}", "source_type": "bluesky", "query": "acme", "live": True,
                "stream_url": self.replay.url}

    def remove_committed(self):
        with self.committed_env() as env:
            env["social.mention"].search([("source_id", "=", self.source_id)]).unlink()
            env["social.mention.quarantine"].search([("source_id", "=", self.source_id)]).unlink()
            env["social.profile"].with_context(active_test=False).search(
                [("url", "=like", f"https://bsky.app/profile/did:plc:live{self.tag}%")]).unlink()
            env["social.profile"].with_context(active_test=False).search(
                [("handle", "=like", f"%{self.tag}%")]).unlink()
            env["social.source"].with_context(active_test=False).browse(self.source_id).unlink()
            env["ir.config_parameter"].set_param(ALLOW_PRIVATE_PARAM, self.private_before or False)

    # ------------------------------------------------------------------ events

    def tick(self):
        """The next event time: a microsecond clock starting now, strictly increasing."""
        self.clock += 1000
        return self.clock

    def post(self, rkey, text="Acme is great", **options):
        return post_event(rkey, text, time_us=self.tick(), did=self.did, **options)

    def delete(self, rkey):
        return delete_event(rkey, time_us=self.tick(), did=self.did)

    def uri(self, rkey):
        return f"at://{self.did}/app.bsky.feed.post/{rkey}"

    # ------------------------------------------------------------------ checks

    def stored(self):
        """``{rkey: text}`` of the mentions committed for the source."""
        with self.committed_env() as env:
            rows = env.execute_query(SQL(
                "SELECT external_id, body FROM social_mention WHERE source_id = %s", self.source_id))
        return {external_id.rsplit("/", 1)[-1]: body for external_id, body in rows}

    def source_status(self, *fields):
        with self.committed_env() as env:
            source = env["social.source"].with_context(active_test=False).browse(self.source_id)
            return {field: source[field] for field in fields}

    def wait_for(self, condition, timeout=60, message="the stream did not get there"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.1)
        self.fail(f"{message} in {timeout} s")

    def assert_created(self, runner, expected, message=None):
        """The runner counted ``expected`` mentions created over its batches (it counts a batch just
        after committing it: the test may see the rows first)."""
        self.wait_for(lambda: sum(created for created, _deleted in runner.batches) >= expected, timeout=30)
        self.assertEqual(sum(created for created, _deleted in runner.batches), expected, message)

    def run_stream(self, **options):
        """A StreamRunner of the source in a thread; stopped (and joined) at the end of the test."""
        from ..tools.stream import StreamRunner

        options = {"batch_seconds": 0.2, "stall_seconds": 5, "backoff_seconds": 0.05, "reload_seconds": 3600,
                   "source_ids": [self.source_id], **options}
        runner = StreamRunner(self.registry, **options)
        thread = threading.Thread(target=runner.run, name=f"stream {self.tag}", daemon=True)
        thread.start()

        def stop():
            runner.stop()
            thread.join(timeout=30)
            self.assertFalse(thread.is_alive(), "the stream stops when asked")

        self.addCleanup(stop)
        return runner, stop
