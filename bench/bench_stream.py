"""Latency of a live source: post sent by a Jetstream replay on 127.0.0.1 → mention committed.

Posts matching the source's query are emitted at ``--rate`` per second for ``--seconds``; the
stream engine of ``bin/odoo social-stream`` (``StreamRunner``, in a thread of this process) stores
them; the database is watched every 20 ms for the new mentions. Prints p50, p95 and the worst
latency, and what was stored. The source and what it stored are removed at the end.

    python bench/bench_stream.py --config .local/odoo.conf --database social_crm_bench --seconds 60
"""
import argparse
import json
import statistics
import sys
import threading
import time
import uuid
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
    parser.add_argument("--batch-seconds", type=float, default=0.5, help="the command's --batch-seconds")
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
            while total[0] is None or len(stored_at) < total[0]:
                with registry.cursor() as cr:  # only the rows committed since the last look: cheap
                    cr.execute(SQL("SELECT id, external_id FROM social_mention WHERE source_id = %s AND id > %s",
                                   source_id, last_id))
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
          f"| {len(batches)} batches, {max(batches)} items at most | process CPU {cpu / args.seconds:.0%} of a core |",
          flush=True)


if __name__ == "__main__":
    main()
