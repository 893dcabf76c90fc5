"""Live sources against a Jetstream replay on 127.0.0.1, in three modes (``--mode``):

- ``latency``: post sent → mention committed, scored and visible. Posts matching the source's query
  are emitted at ``--rate`` per second for ``--seconds``; the stream engine of ``bin/odoo
  social-stream`` (``StreamRunner``, in a thread of this process) stores them; the database is
  watched every 20 ms for the new mentions. Prints p50, p95 and the worst latency.
- ``spike``: negative-spike alert delay. A source with a quiet history (a complaint a week for four
  weeks) receives complaints at ``--rate`` per second; the alert's ``negative_count`` says which
  complaint crossed the threshold: delay = alert committed − that complaint sent.
- ``firehose``: the whole network filtered by keywords. ``bin/odoo social-stream`` runs as a process
  of its own while the replay sends 50 posts/s, with a burst of 500 posts/s for one second in every
  ten, 1 % of them matching the query; prints the command's CPU time over the wall time.

The source and what it stored are removed at the end.

    python bench/bench_stream.py --config .local/odoo.conf --database social_crm_bench --seconds 60
    python bench/bench_stream.py --config .local/odoo.conf --database social_crm_bench --mode firehose
"""
import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import odoo
from odoo.modules.registry import Registry
from odoo.tools import SQL

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import environment  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--sizes", help="ignored (the number of posts is rate × seconds)")
    parser.add_argument("--rate", type=float, default=200.0, help="posts per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long posts are emitted")
    parser.add_argument("--batch-seconds", type=float, default=0.1, help="the command's --batch-seconds")
    parser.add_argument("--mode", choices=("latency", "spike", "firehose"), default="latency")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["--config", args.config, "--database", args.database, "--log-level", "warn"])
    return args


def emit(replay, did, rate, seconds):
    """Add posts to the replay at ``rate`` per second (each sent at once), for ``seconds``."""
    from odoo.addons.social_crm.tests.test_stream_jetstream import post_event

    started = time.monotonic()
    count = 0
    while time.monotonic() - started < seconds:
        due = int((time.monotonic() - started) * rate) + 1
        while count < due:
            replay.add(post_event(f"p{count}", f"Acme post number {count}", time_us=int(time.time() * 1e6) + count,
                                  did=did))
            count += 1
        time.sleep(0.002)
    return count


def main():
    args = parse_args()
    {"latency": latency, "spike": spike, "firehose": firehose}[args.mode](args)


@contextlib.contextmanager
def live_source(database, replay, tag, did):
    """A live Bluesky source of the query "acme" reading ``replay``; removed at the end with what it stored."""
    from odoo.addons.social_crm.connectors import ALLOW_PRIVATE_PARAM

    with environment(database, commit=True) as env:
        private_before = env["ir.config_parameter"].get_param(ALLOW_PRIVATE_PARAM)
        env["ir.config_parameter"].set_param(ALLOW_PRIVATE_PARAM, "True")
        source_id = env["social.source"].create({
            "name": f"Bench stream {tag}", "source_type": "bluesky", "query": "acme", "live": True,
            "stream_url": replay.url}).id
    try:
        yield source_id
    finally:
        with environment(database, commit=True) as env:
            env["social.mention"].search([("source_id", "=", source_id)]).unlink()
            env["social.profile"].with_context(active_test=False).search(
                [("url", "=like", f"https://bsky.app/profile/{did}%")]).unlink()
            env["social.source"].browse(source_id).unlink()
            env["ir.config_parameter"].set_param(ALLOW_PRIVATE_PARAM, private_before or False)


def spike(args):
    """Complaints at ``--rate`` per second after a quiet month: delay of the negative-spike alert."""
    from odoo.addons.social_crm.tests.jetstream_replay import JetstreamReplay
    from odoo.addons.social_crm.tests.test_stream_jetstream import post_event
    from odoo.addons.social_crm.tools.stream import StreamRunner

    tag = uuid.uuid4().hex[:10]
    did = f"did:plc:bench{tag}"
    now = datetime.now(timezone.utc)
    with JetstreamReplay() as replay, live_source(args.database, replay, tag, did) as source_id:
        runner = StreamRunner(Registry(args.database), source_ids=[source_id], reload_seconds=3600,
                              batch_seconds=args.batch_seconds)
        thread = threading.Thread(target=runner.run, daemon=True)
        thread.start()
        time.sleep(1)
        clock = int(time.time() * 1e6)
        for week in range(1, 5):
            clock += 1
            replay.add(post_event(f"b{week}", "Acme is awful.", time_us=clock, did=did, created_at=(
                now - timedelta(days=7 * week)).strftime("%Y-%m-%dT%H:%M:%S.000Z")))
        registry = Registry(args.database)
        time.sleep(3)  # the quiet month is stored
        complaints, alert = [], None
        started = time.monotonic()
        try:
            while alert is None and time.monotonic() - started < max(args.seconds, 30):
                clock += 1
                complaints.append(clock)
                replay.add(post_event(f"c{len(complaints)}", f"Acme support is terrible! {len(complaints)}",
                                      time_us=clock, did=did))
                deadline = time.monotonic() + 1 / args.rate
                while time.monotonic() < deadline and alert is None:
                    with registry.cursor() as cr:
                        cr.execute(SQL("SELECT negative_count, create_date FROM social_reputation_alert "
                                       "WHERE source_id = %s AND kind = 'negative_spike'", source_id))
                        row = cr.fetchone()
                    if row:
                        alert = (row[0], time.time())
                    time.sleep(0.02)
        finally:
            runner.stop()
            thread.join(timeout=30)
        with environment(args.database, commit=True) as env:
            env["social.reputation.alert"].search([("source_id", "=", source_id)]).unlink()
    if alert is None:
        print(f"| spike alert | no alert after {len(complaints)} complaints |", flush=True)
        return
    crossing = replay.sent_at[complaints[alert[0] - 1]]
    print(f"| spike alert, complaints at {args.rate:g}/s, --batch-seconds {args.batch_seconds:g} "
          f"| threshold crossed by complaint {alert[0]} | alert seen {alert[1] - crossing:.2f} s after it was sent |",
          flush=True)


def firehose(args):
    """The command as a process, reading 50 posts/s with bursts of 500/s, 1 % matching: its CPU."""
    from odoo.addons.social_crm.tests.jetstream_replay import JetstreamReplay
    from odoo.addons.social_crm.tests.test_stream_jetstream import post_event

    tag = uuid.uuid4().hex[:10]
    did = f"did:plc:bench{tag}"
    seconds = args.seconds
    repo = Path(__file__).resolve().parents[1]
    with JetstreamReplay() as replay, live_source(args.database, replay, tag, did) as source_id:
        command = subprocess.Popen(
            [str(repo / "bin" / "odoo"), "social-stream", "-d", args.database, "--sources", str(source_id),
             "--log-level", "warn", "--batch-seconds", str(args.batch_seconds)],
            env=dict(os.environ), stdout=subprocess.DEVNULL)
        try:
            time.sleep(10)  # started and connected
            cpu_started, wall_started = process_cpu(command.pid), time.monotonic()
            sent = matching = 0
            clock = int(time.time() * 1e6)
            while time.monotonic() - wall_started < seconds:
                second = int(time.monotonic() - wall_started)
                rate = 500 if second % 10 == 9 else 50
                frames = []
                for _index in range(rate // 10):  # every 0.1 s
                    sent += 1
                    clock += 1
                    hit = sent % 100 == 0
                    matching += hit
                    frames.append(post_event(f"f{sent}", f"{'Acme' if hit else 'Some'} post number {sent}",
                                             time_us=clock, did=did))
                replay.add(*frames)
                time.sleep(max(0.0, 0.1 - (time.monotonic() - wall_started) % 0.1))
            time.sleep(2)  # the last batch
            cpu, wall = process_cpu(command.pid) - cpu_started, time.monotonic() - wall_started
        finally:
            command.send_signal(signal.SIGTERM)
            command.wait(timeout=60)
        with environment(args.database) as env:
            stored = env["social.mention"].search_count([("source_id", "=", source_id)])
    load = os.getloadavg()
    print(f"| firehose {sent / wall:.0f} posts/s average (bursts of 500/s) for {wall:.0f} s | {sent:,} sent, "
          f"{matching} matching, {stored} stored | command CPU {cpu / wall:.1%} of a core "
          f"| load average {load[0]:.1f} |", flush=True)


def process_cpu(pid):
    """User and system CPU seconds of the process ``pid`` (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def latency(args):
    # the addons path is known once the configuration is read
    from odoo.addons.social_crm.connectors import ALLOW_PRIVATE_PARAM
    from odoo.addons.social_crm.tests.jetstream_replay import JetstreamReplay
    from odoo.addons.social_crm.tools.stream import StreamRunner

    tag = uuid.uuid4().hex[:10]
    did = f"did:plc:bench{tag}"
    with JetstreamReplay() as replay:
        with environment(args.database, commit=True) as env:
            private_before = env["ir.config_parameter"].get_param(ALLOW_PRIVATE_PARAM)
            env["ir.config_parameter"].set_param(ALLOW_PRIVATE_PARAM, "True")
            source_id = env["social.source"].create({
                "name": f"Bench stream {tag}", "source_type": "bluesky", "query": "acme", "live": True,
                "stream_url": replay.url}).id
        runner = StreamRunner(Registry(args.database), source_ids=[source_id], reload_seconds=3600,
                              batch_seconds=args.batch_seconds)
        thread = threading.Thread(target=runner.run, daemon=True)
        thread.start()
        stored_at = {}
        total = [None]
        emitter = threading.Thread(target=lambda: total.__setitem__(0, emit(replay, did, args.rate, args.seconds)))
        try:
            time.sleep(1)  # connected
            cpu_started = time.process_time()
            emitter.start()
            registry = Registry(args.database)
            deadline, last_id = None, 0
            scored = SQL(" AND sentiment_label IS NOT NULL") \
                if "sentiment_label" in registry["social.mention"]._fields else SQL()
            while total[0] is None or len(stored_at) < total[0]:
                with registry.cursor() as cr:  # only the rows committed since the last look: cheap
                    cr.execute(SQL("SELECT id, external_id FROM social_mention WHERE source_id = %s AND id > %s%s",
                                   source_id, last_id, scored))
                    now = time.time()
                    for mention_id, external_id in cr.fetchall():
                        stored_at.setdefault(external_id, now)
                        last_id = max(last_id, mention_id)
                if total[0] is not None:
                    deadline = deadline or time.monotonic() + 30
                    if time.monotonic() > deadline:
                        break
                time.sleep(0.02)
            cpu = time.process_time() - cpu_started
        finally:
            runner.stop()
            thread.join(timeout=30)
        sent = {f"at://{did}/app.bsky.feed.post/{json.loads(frame)['commit']['rkey']}": replay.sent_at.get(time_us)
                for time_us, frame in replay.frames}
        latencies = sorted(stored_at[uri] - sent[uri] for uri in stored_at if sent.get(uri))
        with environment(args.database, commit=True) as env:
            env["social.mention"].search([("source_id", "=", source_id)]).unlink()
            env["social.profile"].with_context(active_test=False).search(
                [("url", "=", f"https://bsky.app/profile/{did}")]).unlink()
            env["social.source"].browse(source_id).unlink()
            env["ir.config_parameter"].set_param(ALLOW_PRIVATE_PARAM, private_before or False)
    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    batches = [created for created, _deleted in runner.batches if created]
    print(f"| stream {args.rate:.0f} posts/s for {args.seconds:.0f} s, --batch-seconds {args.batch_seconds:g} "
          f"| {total[0]:,} sent, {len(stored_at):,} stored "
          f"| p50 {quantiles[49]:.3f} s | p95 {quantiles[94]:.3f} s | max {latencies[-1]:.3f} s "
          f"| {len(batches)} batches, {max(batches)} items at most | process CPU {cpu / args.seconds:.0%} of a core "
          f"| load average {os.getloadavg()[0]:.1f} |", flush=True)


if __name__ == "__main__":
    main()
