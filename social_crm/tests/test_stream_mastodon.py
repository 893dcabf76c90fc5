import json
import time

from odoo.tests import tagged

from ..connectors.mastodon import MastodonConnector
from ..connectors.mastodon_stream import parse_event, streaming_url
from ..connectors.stream import FrameError
from .mastodon_replay import TOKEN, MastodonReplay, notification, status
from .stream_common import CommittedStreamCase


class MastodonStreamCase(CommittedStreamCase):
    """A live Mastodon source of the hashtag #acme on an instance replayed on 127.0.0.1."""

    replay_class = MastodonReplay
    source_extra = {}

    def setUp(self):
        self.next_id = int(time.time() * 1000) << 16  # ids as Mastodon makes them: time, then a sequence
        super().setUp()

    def source_vals(self):
        return {"name": f"Live {self.tag}", "source_type": "mastodon", "base_url": self.replay.url,
                "hashtag": "acme", **self.source_extra}

    def status(self, text="Acme is great", **options):
        self.next_id += 1 + (self.next_id % 7)
        return status(self.next_id, text, username=f"ann{self.tag}", **options)

    def wait_connected(self, count=1):
        self.wait_for(lambda: len(self.replay.connections) >= count, message="no stream connection")


@tagged("social_crm", "post_install", "-at_install")
class TestMastodonStreamEvents(MastodonStreamCase):
    """Server-sent events of the documented shapes, against the runner storing committed batches."""

    replay_options = {"heartbeat": 0.2}

    def test_source_defaults_and_stream_url(self):
        with self.committed_env() as env:
            source = env["social.source"].browse(self.source_id)
            self.assertEqual((source.live, source.stream_timeline, source.stream_url), (True, "hashtag", False))
            self.assertEqual(source._stream_channel()["shown"], f"{self.replay.url}/api/v1/streaming/hashtag")
        self.assertEqual(streaming_url("https://mastodon.social/", "local"),
                         "https://mastodon.social/api/v1/streaming/public/local")
        self.assertEqual(streaming_url("https://m.example", "hashtag", "#Acme", "https://streaming.m.example/api/v1/streaming"),
                         "https://streaming.m.example/api/v1/streaming/hashtag?tag=Acme")
        self.assertEqual(streaming_url("https://m.example", "user"), "https://m.example/api/v1/streaming/user/notification")

    def test_parse_events(self):
        connector = MastodonConnector({"base_url": "https://m.example", "hashtag": "acme"})
        post = status(111, "Hello <b>#acme</b>", username="bob", tags=("Acme",), followers=42, language="fr")
        event = parse_event(connector, "update", json.dumps(post), 5)
        self.assertEqual((event.operation, event.external_id, event.position, event.ordered, event.tags, event.langs),
                         ("create", "111", 111, False, frozenset({"acme"}), ("fr",)))
        self.assertEqual(event.item, connector._normalize(post), "the poller's mapping, the one place for it")
        self.assertEqual((event.item["text"], event.item["author"]["handle"], event.item["author"]["followers"]),
                         ("Hello #acme", "bob@remote.example", 42))
        deleted = parse_event(connector, "delete", "111", 5)
        self.assertEqual((deleted.operation, deleted.external_id, deleted.position), ("delete", "111", None))
        self.assertIsNone(parse_event(connector, "status.update", json.dumps(post), 5), "an edit keeps the text")
        self.assertIsNone(parse_event(connector, "update", json.dumps(status(112, reblog=post)), 5), "boosts")
        self.assertIsNone(parse_event(connector, "notification", json.dumps(notification(9, post, "favourite")), 5))
        mention = parse_event(connector, "notification", json.dumps(notification(9, post)), 5)
        self.assertEqual((mention.external_id, mention.position), ("111", 9), "a mention is placed by its notification")
        self.assertIsNone(parse_event(connector, "filters_changed", "", 5))
        for name, data in (("update", "{not json"), ("update", "[1]"), ("update", '{"id": "abc"}'),
                           ("delete", "not-an-id"), ("notification", '{"type": "mention"}')):
            with self.assertRaises(FrameError, msg=f"{name}: {data}"):
                parse_event(connector, name, data, 5)

    def test_updates_deletes_edits_heartbeats_and_bad_events(self):
        runner, stop = self.run_stream(stall_seconds=1)
        self.wait_connected()
        first, boosted, last = self.status("Acme is great"), self.status("Acme boosted"), self.status("Acme again")
        self.replay.add(
            ("update", first), ("update", self.status(reblog=boosted)),
            ("status.update", {**first, "content": "<p>Edited</p>"}),
            "event: update\ndata: {not json\n\n", "event: update\ndata: [1, 2]\n\n",
            "event: something.new\ndata: {}\n\n", "data: an event without a name\n\n", ": a comment\n\n",
            ("update", last))
        self.wait_for(lambda: len(self.stored()) == 2)
        self.assertEqual(self.stored(), {first["id"]: "Acme is great", last["id"]: "Acme again"})
        self.replay.add(("delete", first["id"]), ("delete", "123"))
        self.wait_for(lambda: self.stored()[first["id"]] is None)
        time.sleep(2.5)  # longer than the stall timeout: heartbeats alone keep the stream alive
        self.assertEqual(len(self.replay.connections), 1, "bad events and silence with heartbeats cost no connection")
        self.assertEqual(self.replay.connections[0], {"path": "/api/v1/streaming/hashtag", "tag": "acme"})
        self.assertEqual(self.replay.rest_requests, [], "a new source starts at the live tail")
        status_fields = ("stream_connected", "stream_received_count", "stream_filtered_count",
                         "stream_deleted_count", "stream_last_error", "stream_cursor")
        self.wait_for(lambda: self.source_status(*status_fields)["stream_deleted_count"] == 1)
        self.assertEqual(self.source_status(*status_fields), {
            "stream_connected": True, "stream_received_count": 2, "stream_filtered_count": 0,
            "stream_deleted_count": 1, "stream_last_error": False, "stream_cursor": last["id"]})
        self.assertLess(self.source_status("stream_lag")["stream_lag"], 60)
        self.assert_created(runner, 2)
        stop()
        self.assertFalse(self.source_status("stream_connected")["stream_connected"])


@tagged("social_crm", "post_install", "-at_install")
class TestMastodonStreamGaps(MastodonStreamCase):
    replay_options = {"close_every": 3}

    def test_gap_filled_after_reconnects_and_restart_without_duplicate(self):
        runner, stop = self.run_stream()
        self.wait_connected()
        statuses = [self.status(f"Acme post {index}") for index in range(10)]
        self.replay.add(*(("update", post) for post in statuses))
        # the server closes after 3 events; what it did not send comes from the timeline
        self.wait_for(lambda: len(self.stored()) == 10)
        self.assertEqual(self.stored(), {post["id"]: f"Acme post {index}" for index, post in enumerate(statuses)})
        gap = self.replay.rest_requests[0]
        self.assertEqual((gap["path"], gap["min_id"]), ("/api/v1/timelines/tag/acme", statuses[2]["id"]))
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == statuses[-1]["id"])
        self.assert_created(runner, 10, "nothing stored twice")
        self.assertFalse(self.source_status("stream_last_error")["stream_last_error"])
        stop()

        # posted while the command was stopped: only the timeline has them
        missed = [self.status(f"Acme missed {index}") for index in range(45)]
        self.replay.add_to_timeline(*missed)
        runner, _stop = self.run_stream()
        self.wait_for(lambda: len(self.stored()) == 55)
        requests = [request for request in self.replay.rest_requests if request["min_id"] >= statuses[-1]["id"]]
        self.assertEqual([request["min_id"] for request in requests[:2]], [statuses[-1]["id"], missed[39]["id"]],
                         "resumed from the stored cursor, page after page")
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == missed[-1]["id"])
        self.assert_created(runner, 45)


@tagged("social_crm", "post_install", "-at_install")
class TestMastodonStreamClosedEachEvent(MastodonStreamCase):
    replay_options = {"close_every": 1}

    def test_server_closing_every_stream_is_no_error(self):
        """A server ending each stream (as a restart or a load balancer does) costs a reconnection,
        never a failed one: the next connection does not reuse the socket the server is closing."""
        runner, _stop = self.run_stream()
        self.wait_connected()
        statuses = [self.status(f"Acme post {index}") for index in range(40)]
        self.replay.add(*(("update", post) for post in statuses))
        self.wait_for(lambda: len(self.stored()) == 40)
        self.assertGreaterEqual(len(self.replay.connections), 2)
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == statuses[-1]["id"])
        self.assert_created(runner, 40)
        self.assertFalse(self.source_status("stream_last_error")["stream_last_error"])


@tagged("social_crm", "post_install", "-at_install")
class TestMastodonStreamStalled(MastodonStreamCase):
    replay_options = {"stall_after": 2}

    def test_stalled_stream_is_reconnected(self):
        _runner, _stop = self.run_stream(stall_seconds=1.5)
        self.wait_connected()
        started = time.monotonic()
        statuses = [self.status(f"Acme {index}") for index in range(5)]
        self.replay.add(*(("update", post) for post in statuses))
        self.wait_for(lambda: len(self.stored()) == 5)
        self.assertGreater(time.monotonic() - started, 1.4, "the rest came after the stall timeout")
        self.assertEqual(self.replay.rest_requests[0]["min_id"], statuses[1]["id"])
        self.wait_for(lambda: self.source_status("stream_last_error")["stream_last_error"])
        self.assertEqual(self.source_status("stream_last_error")["stream_last_error"],
                         "no frame for 1.5 seconds: reconnecting")


@tagged("social_crm", "post_install", "-at_install")
class TestMastodonStreamTimelines(MastodonStreamCase):
    source_extra = {"hashtag": False, "stream_timeline": "public", "query": "acme", "languages": "en"}

    def test_public_timeline_filtered_by_query_and_language(self):
        _runner, _stop = self.run_stream()
        self.wait_connected()
        kept = self.status("Acme is here")
        self.replay.add(("update", self.status("Nothing to see")), ("update", self.status("Acme ici", language="fr")),
                        ("update", kept), ("update", self.status("acmeish")))
        self.wait_for(lambda: self.source_status("stream_received_count")["stream_received_count"] == 4)
        self.assertEqual(self.stored(), {kept["id"]: "Acme is here"})
        self.assertEqual(self.source_status("stream_filtered_count")["stream_filtered_count"], 3)
        self.assertEqual(self.replay.connections[0]["path"], "/api/v1/streaming/public")


@tagged("social_crm", "post_install", "-at_install")
class TestMastodonUserStream(MastodonStreamCase):
    source_extra = {"hashtag": False, "stream_timeline": "user", "bearer_token": "wrong-token"}

    def test_mentions_of_the_account_with_its_token(self):
        _runner, stop = self.run_stream()
        self.wait_for(lambda: self.source_status("stream_last_error")["stream_last_error"])
        self.assertIn("answered HTTP 401", self.source_status("stream_last_error")["stream_last_error"])
        self.assertNotIn("wrong-token", self.source_status("stream_last_error")["stream_last_error"])
        stop()
        with self.committed_env() as env:
            env["social.source"].browse(self.source_id).bearer_token = TOKEN
        _runner, stop = self.run_stream()
        connections = len(self.replay.connections)
        self.wait_for(lambda: len(self.replay.connections) > connections
                      and self.source_status("stream_connected")["stream_connected"])
        self.assertEqual(self.replay.connections[-1]["path"], "/api/v1/streaming/user/notification")
        reply = self.status("@acme your parcel never came")
        self.replay.add(("notification", notification(500, self.status("Liked"), "favourite")),
                        ("notification", notification(501, reply)))
        self.wait_for(lambda: self.stored())
        self.assertEqual(self.stored(), {reply["id"]: "@acme your parcel never came"})
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == "501")
        stop()
        later = self.status("@acme still nothing")
        self.replay.add_to_timeline(notification(502, later))
        _runner, _stop = self.run_stream()
        self.wait_for(lambda: len(self.stored()) == 2)
        gap = self.replay.rest_requests[-1]
        self.assertEqual((gap["path"], gap["min_id"], gap["types[]"]), ("/api/v1/notifications", "501", "mention"))


@tagged("social_crm", "post_install", "-at_install")
class TestMastodonStreamBurst(MastodonStreamCase):
    replay_options = {"heartbeat": 1}

    def test_burst_of_ten_thousand_events(self):
        runner, _stop = self.run_stream(batch_seconds=0.5)
        self.wait_connected()
        statuses = [self.status(f"Acme burst {index}") for index in range(10_000)]
        self.replay.add(*(("update", post) for post in statuses))
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == statuses[-1]["id"], timeout=600)
        self.assertEqual(len(self.stored()), 10_000)
        self.assert_created(runner, 10_000)
        created = [created for created, _deleted in runner.batches if created]
        self.assertEqual(sum(created), 10_000)
        self.assertLessEqual(max(created), 500, "batches of 500 items at most")
        self.assertEqual(len(self.replay.connections), 1)
