import os
import re
import signal
import subprocess
import tempfile
from pathlib import Path

from odoo.tests import tagged
from odoo.tools import SQL

from .stream_common import CommittedStreamCase
from .test_stream_mastodon import MastodonStreamCase

REPO = Path(__file__).resolve().parents[2]
LOG_LINE = re.compile(
    r"Source Live \w+ \(#\d+\): (\d+) received, (\d+) stored, (\d+) filtered out, (\d+) deleted, lag ")


class CommandMixin:
    """Start and stop ``bin/odoo social-stream`` on the test's source."""

    def start_command(self):
        log = tempfile.NamedTemporaryFile("w+", prefix="social-stream-", suffix=".log")  # noqa: SIM115
        self.addCleanup(log.close)
        process = subprocess.Popen(
            [str(REPO / "bin" / "odoo"), "social-stream", "-d", self.env.cr.dbname, "--sources", str(self.source_id),
             "--log-seconds", "1", "--batch-seconds", "0.2", "--backoff-seconds", "0.1", "--log-level", "info"],
            stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ))

        def kill():
            if process.poll() is None:
                process.kill()
                process.wait()

        self.addCleanup(kill)
        return process, log

    def stop_command(self, process, log, signum):
        process.send_signal(signum)
        try:
            self.assertEqual(process.wait(timeout=60), 0, "a clean stop")
        finally:
            log.seek(0)
            output = log.read()
        self.assertIn("Stream of database", output)
        return output


@tagged("social_crm", "post_install", "-at_install")
class TestStreamCommand(CommandMixin, CommittedStreamCase):
    """``bin/odoo social-stream -d DB`` as a process: it stores, logs, stops on a signal and resumes."""

    def test_command_stores_logs_stops_and_resumes(self):
        self.replay.add(self.post("a1"), self.post("n1", "Nothing"), self.post("a2", "#acme"),
                        self.post("n2", "Something"), self.post("a3", "acme!"))
        first_cursor = self.clock
        process, log = self.start_command()
        self.wait_for(lambda: len(self.stored()) == 3 or process.poll() is not None, timeout=120)
        self.assertIsNone(process.poll(), "the command runs until stopped")
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == str(first_cursor))
        self.assertTrue(self.source_status("stream_connected")["stream_connected"])
        self.wait_for(lambda: LOG_LINE.search(Path(log.name).read_text()), timeout=10,
                      message="no line of figures while running")
        output = self.stop_command(process, log, signal.SIGTERM)
        self.assertIn("Received SIGTERM: stopping the stream", output)
        counts = [tuple(map(int, match)) for match in LOG_LINE.findall(output)]
        self.assertGreaterEqual(len(counts), 2, "a line per interval, and one when stopping")
        self.assertEqual([sum(column) for column in zip(*counts, strict=True)], [5, 3, 2, 0])
        self.assertFalse(self.source_status("stream_connected")["stream_connected"])

        self.replay.add(self.post("a4"), self.delete("a1"), self.post("a5"))
        process, log = self.start_command()
        self.wait_for(lambda: len(self.stored()) == 5 or process.poll() is not None, timeout=120)
        self.wait_for(lambda: self.stored()["a1"] is None)
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == str(self.clock))
        output = self.stop_command(process, log, signal.SIGINT)
        self.assertEqual(self.replay.connections[1]["cursor"], str(first_cursor), "resumed from the stored cursor")
        self.assertEqual(self.stored(), {"a1": None, "a2": "#acme", "a3": "acme!", "a4": "Acme is great",
                                         "a5": "Acme is great"})
        counts = [tuple(map(int, match)) for match in LOG_LINE.findall(output)]
        self.assertEqual([sum(column) for column in zip(*counts, strict=True)], [2, 2, 0, 1], "nothing received twice")

    def test_database_connections_lost_under_the_stream(self):
        """The database drops the command's connections (as when it restarts): the batch waits and is
        stored once the database answers again; nothing acknowledged is lost, nothing stored twice."""
        self.replay.add(self.post("a1"), self.post("a2"))
        process, log = self.start_command()
        self.wait_for(lambda: len(self.stored()) == 2 or process.poll() is not None, timeout=120)
        with self.committed_env() as env:
            killed = env.execute_query(SQL(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                f"odoo-{process.pid}"))
        self.assertTrue(killed, "the command holds connections to the database")
        self.replay.add(self.post("a3"), self.post("n1", "Nothing"), self.post("a4"))
        self.wait_for(lambda: len(self.stored()) == 4 or process.poll() is not None, timeout=60)
        self.assertIsNone(process.poll(), "still running")
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == str(self.clock))
        output = self.stop_command(process, log, signal.SIGTERM)
        self.assertEqual(sorted(self.stored()), ["a1", "a2", "a3", "a4"])
        counts = [tuple(map(int, match)) for match in LOG_LINE.findall(output)]
        self.assertEqual([sum(column) for column in zip(*counts, strict=True)], [5, 4, 1, 0])


@tagged("social_crm", "post_install", "-at_install")
class TestMastodonStreamCommand(CommandMixin, MastodonStreamCase):
    """The command streaming a Mastodon hashtag: stores, deletes, reconnects a silent stream after
    the setting's timeout, and fills what was posted while it was stopped from the timeline."""

    def test_command_streams_mastodon_and_resumes(self):
        with self.committed_env() as env:
            stall_before = env["ir.config_parameter"].get_param("social_crm.stream_stall_seconds")
            env["ir.config_parameter"].set_param("social_crm.stream_stall_seconds", "2")

        def restore():
            with self.committed_env() as env:
                env["ir.config_parameter"].set_param("social_crm.stream_stall_seconds", stall_before or False)

        self.addCleanup(restore)
        process, log = self.start_command()
        self.wait_for(lambda: self.replay.connections or process.poll() is not None, timeout=120)
        self.assertIsNone(process.poll(), "the command runs until stopped")
        first, second = self.status("Acme is great"), self.status("Acme again")
        self.replay.add(("update", first), ("update", second), ("delete", first["id"]))
        self.wait_for(lambda: self.stored() == {first["id"]: None, second["id"]: "Acme again"})
        self.wait_for(lambda: len(self.replay.connections) >= 2, timeout=30,
                      message="a stream silent for longer than the setting is not reconnected")
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == second["id"])
        output = self.stop_command(process, log, signal.SIGTERM)
        self.assertIn("no frame for 2 seconds: reconnecting", output)
        counts = [tuple(map(int, match)) for match in LOG_LINE.findall(output)]
        self.assertEqual([sum(column) for column in zip(*counts, strict=True)], [2, 2, 0, 1])

        missed = self.status("Acme while stopped")
        self.replay.add_to_timeline(missed)
        process, log = self.start_command()
        self.wait_for(lambda: len(self.stored()) == 3 or process.poll() is not None, timeout=120)
        self.wait_for(lambda: self.source_status("stream_cursor")["stream_cursor"] == missed["id"])
        output = self.stop_command(process, log, signal.SIGINT)
        self.assertIn(second["id"], [request["min_id"] for request in self.replay.rest_requests],
                      "resumed from the stored cursor")
        self.assertEqual(self.stored(), {first["id"]: None, second["id"]: "Acme again",
                                         missed["id"]: "Acme while stopped"})
