import time

from odoo.tests import tagged

from .stream_common import CommittedStreamCase


@tagged("social_crm", "post_install", "-at_install")
class TestStreamRunner(CommittedStreamCase):
    """The stream engine against a Jetstream replay on 127.0.0.1, storing in committed batches."""

    def test_posts_filters_deletions_and_status(self):
        self.replay.add(
            self.post("a1", "Acme is great"), self.post("n1", "Nothing to see"), "not json at all", "[1, 2]",
            {"did": self.did, "time_us": self.tick(), "kind": "identity", "identity": {"handle": "x.bsky.social"}},
            {"did": self.did, "time_us": self.tick(), "kind": "brand-new-kind"},
            self.post("a2", "I love #acme"), self.post("n2", "acmeish"), self.post("a3", "ACME broke again"))
        last = self.clock
        runner, stop = self.run_stream()
        self.wait_for(lambda: len(self.stored()) == 3)
        self.assertEqual(self.stored(), {"a1": "Acme is great", "a2": "I love #acme", "a3": "ACME broke again"})
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == str(last))
        self.replay.add(self.delete("a2"), self.delete("never-stored"))
        self.wait_for(lambda: self.stored().get("a2", "") is None)
        self.assertEqual(self.stored(), {"a1": "Acme is great", "a2": None, "a3": "ACME broke again"})
        status = self.source_status("stream_connected", "stream_received_count", "stream_filtered_count",
                                    "stream_deleted_count", "stream_last_error", "stream_cursor", "stream_lag")
        self.assertEqual(
            {key: value for key, value in status.items() if key != "stream_lag"},
            {"stream_connected": True, "stream_received_count": 5, "stream_filtered_count": 2,
             "stream_deleted_count": 1, "stream_last_error": False, "stream_cursor": str(self.clock)})
        self.assertLess(status["stream_lag"], 60)
        self.assertEqual(len(self.replay.connections), 1, "bad frames and unknown kinds never cost the connection")
        self.assertEqual(self.replay.connections[0], {"wantedCollections": "app.bsky.feed.post"},
                         "a new source starts at the live tail, posts only")
        stop()
        self.assertFalse(self.source_status("stream_connected")["stream_connected"], "stopped: disconnected")

    def test_restart_resumes_from_the_stored_cursor(self):
        self.replay.add(*(self.post(f"p{index}") for index in range(20)))
        first_cursor = self.clock
        _runner, stop = self.run_stream()
        self.wait_for(lambda: len(self.stored()) == 20)
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == str(first_cursor))
        stop()
        self.replay.add(*(self.post(f"q{index}") for index in range(20)))
        runner, _stop = self.run_stream()
        self.wait_for(lambda: len(self.stored()) == 40)
        self.assertEqual(self.replay.connections[1]["cursor"], str(first_cursor))
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == str(self.clock))
        # the replay sent the last event of the first run again: it was skipped, not ingested twice
        self.assert_created(runner, 20)
        self.assertEqual(self.source_status("stream_received_count")["stream_received_count"], 40)


@tagged("social_crm", "post_install", "-at_install")
class TestStreamServerClosing(CommittedStreamCase):
    replay_options = {"close_every": 7}

    def test_server_closing_every_few_frames(self):
        self.replay.add(*(self.post(f"p{index}") for index in range(50)))
        _runner, _stop = self.run_stream()
        self.wait_for(lambda: len(self.stored()) == 50)
        self.assertEqual(sorted(self.stored()), sorted(f"p{index}" for index in range(50)))
        connections = self.replay.connections
        self.assertGreaterEqual(len(connections), 8)
        cursors = [int(query["cursor"]) for query in connections[1:8]]
        self.assertEqual(cursors, sorted(cursors), "each connection resumes after the previous one")
        self.assertEqual(self.source_status("stream_last_error")["stream_last_error"], False,
                         "a server closing connections after sending frames is no error")


@tagged("social_crm", "post_install", "-at_install")
class TestStreamStalled(CommittedStreamCase):
    replay_options = {"stall_after": 3}

    def test_stalled_connection_is_reconnected(self):
        self.replay.add(*(self.post(f"p{index}") for index in range(10)))
        third = self.clock - 7 * 1000
        started = time.monotonic()
        _runner, _stop = self.run_stream(stall_seconds=1)
        self.wait_for(lambda: len(self.stored()) == 10, timeout=30)
        self.assertLess(time.monotonic() - started, 15)
        # (a connection idle once every event is sent is taken for stalled too: there may be more)
        self.assertGreaterEqual(len(self.replay.connections), 2)
        self.assertEqual(self.replay.connections[1]["cursor"], str(third))
        status = self.source_status("stream_last_error", "stream_last_error_at", "stream_connected")
        self.assertEqual(status["stream_last_error"], "no frame for 1 seconds: reconnecting")
        self.assertTrue(status["stream_last_error_at"])
        self.assertTrue(status["stream_connected"])


@tagged("social_crm", "post_install", "-at_install")
class TestStreamBurst(CommittedStreamCase):

    def test_burst_of_ten_thousand_events(self):
        events = []
        for index in range(10_000):
            events.append(self.post(f"b{index}", "Acme burst" if index % 5 == 0 else "Something else"))
        self.replay.add(*events)
        runner, _stop = self.run_stream(batch_size=500)
        self.wait_for(lambda: len(self.stored()) == 2_000, timeout=240)
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == str(self.clock))
        self.assert_created(runner, 2_000)
        created = [created for created, _deleted in runner.batches]
        self.assertLessEqual(max(created), 500, "batches of at most 500 items")
        self.assertEqual(self.source_status("stream_received_count", "stream_filtered_count"),
                         {"stream_received_count": 10_000, "stream_filtered_count": 8_000})
