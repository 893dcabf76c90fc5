"""Soak of the webhook under concurrency, against a real Odoo server in prefork mode.

The server is started on the bench database (``--workers``, 4 by default, on 127.0.0.1). Then
``--senders`` (8) threads push signed batches of ``--batch`` (250) items to one webhook source:
the items are windows of a list of ``--sizes`` distinct items, each window overlapping the next
by half, and sender ``k`` sends window ``s + k`` at its step ``s``, so that concurrent batches share
items and, above all, new authors (one author per 20 items, unknown before the run), all of the
same source and day. Every item is thus sent ``2 × senders`` times. Reported: items sent,
distinct items, mentions stored (which must equal the distinct items), profiles of the authors
(one each), answers by status, p50/p95/max latency, and whether the daily series, once its job
has merged what was queued, equals a rebuild. Then a worker is killed (``kill -9``) in the middle
of a batch of new items: nothing of that batch may be stored, a resend stores it whole, a second
resend only finds duplicates.

Run with ``make bench BENCH=webhook_concurrency``, or with another size with
``python3 tools/devenv.py bench webhook_concurrency --sizes 100000``.
"""
import argparse
import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import requests

import odoo
from odoo.tools import SQL

from common import environment

TEXTS = [
    "I love my new Acme phone, great battery!",
    "Acme support is awful, still waiting for an answer.",
    "Picked up an Acme charger today.",
    "Acme's new laptop looks amazing.",
    "Worst Acme update ever, everything is slow.",
]
SIGNATURE_HEADER = "X-Social-CRM-Signature"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--sizes", default="10000", help="distinct items of the soak (the first size is used)")
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--batch", type=int, default=250, help="items per request")
    parser.add_argument("--workers", type=int, default=4, help="Odoo HTTP workers")
    parser.add_argument("--max-seconds", type=float, default=1200, help="the senders stop after this long")
    parser.add_argument("--kill-batch", type=int, default=4000, help="items of the batch whose worker is killed")
    parser.add_argument("--skip-kill", action="store_true", help="no kill -9 step")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["--config", args.config, "--database", args.database, "--log-level", "warn"])
    args.distinct = int(args.sizes.split(",")[0])
    return args


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``odoo-bin`` in prefork mode on ``database``, on 127.0.0.1, for the length of a ``with``."""

    def __init__(self, config, database, workers, log_path, extra_args=(), env=None, port=None):
        self.port = port or free_port()
        self.env = env
        odoo_bin = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
        self.cmd = [sys.executable, str(odoo_bin), "--config", config, "--database", database,
                    "--db-filter", f"^{database}$", "--workers", str(workers), "--max-cron-threads", "1",
                    "--http-interface", "127.0.0.1", "--http-port", str(self.port), "--gevent-port", str(free_port()),
                    "--limit-time-real", "600", "--limit-time-cpu", "600", "--log-level", "info",
                    "--logfile", str(log_path), *extra_args]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Odoo server stopped at start (exit {self.process.returncode})")
            try:
                if requests.get(f"{self.url}/web/health", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError("the Odoo server did not answer within 180 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def make_source(database, tag):
    """A webhook source of this run, with its secret (committed: the server must see it)."""
    secret = secrets.token_urlsafe(32)
    with environment(database, commit=True) as env:
        source = env["social.source"].create({
            "name": f"Soak {tag}", "source_type": "webhook", "network": "x", "webhook_secret": secret})
        return source.id, secret


def make_items(tag, count, authors, prefix=""):
    posted_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return [{
        "id": f"soak{tag}{prefix}-{index}",
        "author": {"handle": f"k{tag}{prefix}u{index % authors}", "followers": index % 997},
        "text": TEXTS[index % len(TEXTS)],
        "lang": "en",
        "posted_at": posted_at,
    } for index in range(count)]


def post(session, url, secret, items, timeout=300):
    body = json.dumps({"mentions": items}).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return session.post(url, data=body, timeout=timeout,
                        headers={"Content-Type": "application/json", SIGNATURE_HEADER: signature})


def warm_up(args, server, source_id, secret, tag):
    """Small batches, a few per worker, before anything is measured: each worker loads the
    registry on its first request, which takes seconds."""
    url = f"{server.url}/social_crm/webhook/{source_id}"
    items = make_items(tag, 2 * args.workers * 4, authors=4, prefix="w")
    threads = [threading.Thread(target=post, args=(requests, url, secret, items[start:start + 2]))
               for start in range(0, len(items), 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def soak(args, server, source_id, secret, tag):
    items = make_items(tag, args.distinct, authors=max(1, args.distinct // 20))
    half = max(1, args.batch // 2)
    windows = [items[start:start + args.batch] for start in range(0, len(items), half)]
    url = f"{server.url}/social_crm/webhook/{source_id}"
    statuses, latencies, sent, failures = Counter(), [], [0], []
    lock = threading.Lock()
    stop_at = time.monotonic() + args.max_seconds

    def sender(k):
        with requests.Session() as session:
            for step in range(len(windows)):
                if time.monotonic() > stop_at:
                    return
                window = windows[(step + k) % len(windows)]
                started = time.perf_counter()
                try:
                    response = post(session, url, secret, window)
                    status = response.status_code
                except requests.RequestException as error:
                    status, response = type(error).__name__, None
                elapsed = time.perf_counter() - started
                with lock:
                    statuses[status] += 1
                    latencies.append(elapsed)
                    sent[0] += len(window)
                    if status != 200 and len(failures) < 5:
                        failures.append(f"{status}: {response.text[:300] if response is not None else ''}")

    started = time.perf_counter()
    threads = [threading.Thread(target=sender, args=(k,)) for k in range(args.senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    duration = time.perf_counter() - started
    return {"items": items, "statuses": statuses, "latencies": latencies, "sent": sent[0],
            "failures": failures, "duration": duration, "complete": time.monotonic() <= stop_at}


def stored_figures(database, source_id, tag):
    with environment(database) as env:
        [(mentions, distinct_ids, profiles_used)] = env.execute_query(SQL(
            "SELECT COUNT(*), COUNT(DISTINCT external_id), COUNT(DISTINCT profile_id) FROM social_mention"
            " WHERE source_id = %s", source_id))
        [(profiles,)] = env.execute_query(SQL(
            "SELECT COUNT(*) FROM social_profile WHERE canonical_handle LIKE %s", f"k{tag}u%"))
        return mentions, distinct_ids, profiles_used, profiles


def series_check(database, source_id, wait_seconds=120):
    """Wait for the series' job to empty the queue of the source, then compare its rows with a
    rebuild: ``(queued rows left, series' mentions, rebuilt mentions, rows equal)``."""
    deadline = time.monotonic() + wait_seconds
    while True:
        with environment(database) as env:
            [(queued,)] = env.execute_query(SQL(
                "SELECT COUNT(*) FROM social_reputation_daily_queue WHERE source_id = %s", source_id))
        if not queued or time.monotonic() > deadline:
            break
        time.sleep(2)
    columns = SQL("date, network, COALESCE(team_id, 0), COALESCE(campaign_id, 0), COALESCE(product_id, 0),"
                  " mention_count, positive_count, neutral_count, negative_count, unscored_count, scored_count,"
                  " reach")
    with environment(database) as env:  # rolled back: the rebuild is only compared
        query = SQL("SELECT %s FROM social_reputation_daily WHERE source_id = %s ORDER BY 1, 2, 3, 4, 5",
                    columns, source_id)
        added = env.execute_query(query)
        days = {row[0] for row in added}
        env["social.reputation.daily"]._refresh_days(days, source_ids=[source_id])
        rebuilt = env.execute_query(query)
    return queued, sum(row[5] for row in added), sum(row[5] for row in rebuilt), added == rebuilt


def server_figures(log_path, source_id):
    """``(request times as the server logged them, batches run again on a fresh snapshot)``."""
    times, again = [], 0
    path = f"/social_crm/webhook/{source_id} "
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if path in line and "POST" in line:
                times.append(float(line.split()[-1]))
            elif f"source #{source_id}:" in line and "running the batch again" in line:
                again += 1
    return times, again


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def serving_worker_pid(server):
    """The pid of the HTTP worker holding a client connection (the batch being sent), if any."""
    import psutil  # a dependency of Odoo

    for child in psutil.Process(server.process.pid).children():
        try:
            connections = child.net_connections(kind="tcp") if hasattr(child, "net_connections") \
                else child.connections(kind="tcp")
        except psutil.Error:
            continue
        if any(c.status == psutil.CONN_ESTABLISHED and c.laddr.port == server.port for c in connections):
            return child.pid
    return None


def kill_mid_batch(args, server, database, source_id, secret, tag):
    """kill -9 the worker storing a batch: all or nothing, then a resend stores it exactly once."""
    items = make_items(tag, args.kill_batch, authors=max(1, args.kill_batch // 20), prefix="k")
    url = f"{server.url}/social_crm/webhook/{source_id}"
    outcome = {}

    def send():
        try:
            outcome["status"] = post(requests, url, secret, items).status_code
        except requests.RequestException as error:
            outcome["status"] = type(error).__name__

    def stored():
        with environment(database) as env:
            return env.execute_query(SQL(
                "SELECT COUNT(*) FROM social_mention WHERE source_id = %s AND external_id LIKE %s",
                source_id, f"soak{tag}k-%"))[0][0]

    thread = threading.Thread(target=send)
    thread.start()
    victim, deadline = None, time.monotonic() + 60
    while victim is None and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
        victim = serving_worker_pid(server)
    if victim:
        time.sleep(0.5)  # well into the batch (of several seconds)
        os.kill(victim, signal.SIGKILL)
    thread.join()
    after_kill = stored()
    time.sleep(2)  # the master forks a new worker
    resend = post(requests, url, secret, items).json()
    again = post(requests, url, secret, items).json()
    return {"killed": victim, "answer": outcome.get("status"), "stored_after_kill": after_kill,
            "resend_created": resend.get("created"), "stored_after_resend": stored(),
            "second_resend_duplicates": again.get("duplicates"), "size": len(items)}


def main():
    args = parse_args()
    tag = str(int(time.time()) % 10**7)  # new authors each run; an X handle has at most 15 characters
    source_id, secret = make_source(args.database, tag)
    warm_source_id, warm_secret = make_source(args.database, f"{tag} warm-up")
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_webhook_concurrency_{args.database}.log"
    print(f"webhook soak on {args.database}: {args.workers} workers, {args.senders} senders, batches of "
          f"{args.batch}, {args.distinct:,} distinct items (server log: {log_path}); load average before: "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    failed = False
    with Server(args.config, args.database, args.workers, log_path) as server:
        warm_up(args, server, warm_source_id, warm_secret, tag)
        result = soak(args, server, source_id, secret, tag)
        mentions, distinct_ids, profiles_used, profiles = stored_figures(args.database, source_id, tag)
        statuses, latencies = result["statuses"], result["latencies"]
        client_errors = sum(n for status, n in statuses.items() if isinstance(status, int) and 400 <= status < 500)
        server_errors = sum(n for status, n in statuses.items() if isinstance(status, int) and status >= 500)
        no_answer = sum(n for status, n in statuses.items() if not isinstance(status, int))
        distinct_sent = len({item["id"] for item in result["items"]}) if result["complete"] else distinct_ids
        authors = max(1, args.distinct // 20)
        print("| figure | value |\n|---|---|")
        for name, value in [
            ("requests", sum(statuses.values())), ("items sent", f"{result['sent']:,}"),
            ("distinct items", f"{distinct_sent:,}"), ("mentions stored", f"{mentions:,}"),
            ("authors / profiles created / profiles used", f"{authors:,} / {profiles:,} / {profiles_used:,}"),
            ("4xx", client_errors), ("5xx", server_errors), ("no answer", no_answer),
            ("p50 latency", f"{statistics.median(latencies):.2f} s" if latencies else "-"),
            ("p95 latency", f"{percentile(latencies, 0.95):.2f} s"),
            ("max latency", f"{max(latencies, default=0):.2f} s"),
            ("duration", f"{result['duration']:.0f} s"),
            ("load average after (1 min)", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"),
            ("throughput", f"{result['sent'] / result['duration']:,.0f} items sent/s"),
        ]:
            print(f"| {name} | {value} |", flush=True)
        server_times, again = server_figures(log_path, source_id)
        print(f"| server-side time (the server's log): p50 / p95 | {percentile(server_times, 0.5):.2f} s /"
              f" {percentile(server_times, 0.95):.2f} s |")
        print(f"| batches run again on a fresh snapshot (a race lost) | {again} |", flush=True)
        for failure in result["failures"]:
            print(f"  failed request: {failure}")
        queued, series_mentions, rebuilt_mentions, equal = series_check(args.database, source_id)
        print(f"| daily series: queued rows left / mentions / mentions of a rebuild / rows equal a rebuild |"
              f" {queued} / {series_mentions:,} / {rebuilt_mentions:,} / {equal} |", flush=True)
        failed |= (not result["complete"] or mentions != distinct_sent or client_errors or server_errors
                   or no_answer or profiles != authors or profiles_used != authors or not equal)
        if not args.skip_kill:
            kill = kill_mid_batch(args, server, args.database, source_id, secret, tag)
            print(f"| kill -9 of worker {kill['killed']} mid-batch of {kill['size']:,} | answer {kill['answer']},"
                  f" stored after the kill {kill['stored_after_kill']}, resend created {kill['resend_created']},"
                  f" stored after the resend {kill['stored_after_resend']}, second resend duplicates"
                  f" {kill['second_resend_duplicates']} |", flush=True)
            failed |= (kill["stored_after_kill"] not in (0, kill["size"]) or kill["stored_after_resend"] != kill["size"]
                       or kill["second_resend_duplicates"] != kill["size"])
            if not kill["killed"] or kill["stored_after_kill"]:
                print("  (the batch ended before a worker could be killed: the step proves nothing this time)")
    print("webhook soak:", "FAILED" if failed else "passed", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
