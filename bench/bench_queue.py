"""The job queue (social_crm_queue on OCA's queue_job) against the cron path and the requests, with
real Odoo servers in prefork mode on the bench database.

1. Polls: ``--sizes`` (200) RSS sources, each answering in ``--delay`` (0.3 s) from a server on
   127.0.0.1 with 3 new entries per poll. Polled by the cron path (one source after the other, in
   this process, after-work inline), then by jobs: ``--servers`` (1) Odoo servers, each with a job
   runner and ``--job-workers`` (4) jobs at once on ``root.social.poll``. Timed until the polls are
   done, then until their after-work jobs are too; which worker processes ran them; and the most
   requests the feed server had in flight at once.
2. Webhook: ``--items`` (10,000) items in signed requests of 100, from as many senders as HTTP
   workers, with 1 and 2 workers, the after-work done in the request (``QUEUE_JOB__NO_DELAY``: as
   without the job queue) or queued as one job per request; compared with the batch path in this
   process (``_ingest``, 1,000 per call, after-work inline). Timed until the requests are answered,
   then until the after-work jobs are done.

With two servers, their runners elect one master per database (an advisory lock of queue_job), and
it hands the jobs to a round-robin proxy in front of both servers, as a load balancer does in
production: the jobs are spread over the workers of both.

    python3 tools/devenv.py bench queue                        # 200 sources, then the webhook
    python3 tools/devenv.py bench queue -- --servers 2 --skip-webhook
"""
import argparse
import contextlib
import hashlib
import hmac
import itertools
import json
import os
import re
import selectors
import signal
import socket
import statistics
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests
from bench_mention_ingest import CONTACTS, items, remove_run, start_run
from bench_webhook_concurrency import Server, free_port

import odoo
from odoo.tools import SQL

from common import Timer, ensure_contacts_with_profiles, environment

NO_JOBS = {"social_crm_queue_jobs": False}  # the cron path, as without social_crm_queue
SLOW_SECONDS = 8  # /slow/<n>: the feed whose poll is killed half-way
HANG_SECONDS = 200  # /hang/<n>: a source that never answers in time (the connector times out)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--sizes", default="200", help="polled sources (the first size is used)")
    parser.add_argument("--delay", type=float, default=0.3, help="seconds each source takes to answer")
    parser.add_argument("--job-workers", type=int, default=4, help="polls at once, per server")
    parser.add_argument("--servers", type=int, default=1, help="Odoo servers, each with its job runner")
    parser.add_argument("--items", type=int, default=10_000, help="items of the webhook runs")
    parser.add_argument("--skip-polls", action="store_true")
    parser.add_argument("--skip-webhook", action="store_true")
    parser.add_argument("--faults", action="store_true", help="only the faults: a killed worker, a hanging "
                        "source, a poison item")
    args = parser.parse_args()
    odoo.tools.config.parse_config(["--config", args.config, "--database", args.database, "--log-level", "warn"])
    args.sources = int(args.sizes.split(",")[0])
    return args


# ---------------------------------------------------------------------------- the sources' server


class FeedServer(ThreadingHTTPServer):
    """RSS feeds on 127.0.0.1: ``/feed/<n>`` answers after ``delay`` with 3 entries never sent before."""

    daemon_threads = True

    def __init__(self, delay):
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.delay, self.counter, self.lock = delay, itertools.count(), threading.Lock()
        self.in_flight = self.max_in_flight = self.requests = 0
        self.seen = Counter()  # requests by first part of the path

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class FeedHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        server = self.server
        with server.lock:
            server.in_flight += 1
            server.requests += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
            number = next(server.counter)
        try:
            kind = self.path.split("/")[1]
            server.seen[kind] += 1
            time.sleep({"slow": SLOW_SECONDS, "hang": HANG_SECONDS}.get(kind, server.delay))
            now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
            entries = "".join(
                f"<item><title>Acme news {number}-{index}</title><link>https://news.example.com/{number}/{index}</link>"
                f"<guid>bench-{number}-{index}</guid><author>reporter{index}@example.com (Reporter {index})</author>"
                f"<description>The new Acme phone is great, says review {number}-{index}.</description>"
                f"<pubDate>{now}</pubDate></item>" for index in range(3))
            body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>'
                    f"<link>https://news.example.com/</link><description>Acme</description>{entries}"
                    f"</channel></rss>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        finally:
            with server.lock:
                server.in_flight -= 1

    def log_message(self, *args):
        pass


class RoundRobinProxy(threading.Thread):
    """A TCP proxy on 127.0.0.1 handing each connection to the next of ``ports``: the load balancer
    in front of several Odoo servers, where the job runner sends its ``/queue_job/runjob`` calls."""

    def __init__(self, ports):
        super().__init__(daemon=True)
        self.ports = itertools.cycle(ports)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]

    def run(self):
        while True:
            client, _address = self.listener.accept()
            threading.Thread(target=self.pipe, args=(client, next(self.ports)), daemon=True).start()

    @staticmethod
    def pipe(client, port):
        with client, socket.create_connection(("127.0.0.1", port)) as upstream:
            selector = selectors.DefaultSelector()
            selector.register(client, selectors.EVENT_READ, upstream)
            selector.register(upstream, selectors.EVENT_READ, client)
            open_ends = 2
            while open_ends:
                for key, _events in selector.select():
                    data = key.fileobj.recv(65536)
                    if not data:
                        selector.unregister(key.fileobj)
                        open_ends -= 1
                        if key.data.fileno() != -1:
                            try:
                                key.data.shutdown(socket.SHUT_WR)
                            except OSError:
                                pass
                        continue
                    key.data.sendall(data)


# ---------------------------------------------------------------------------- polls


def make_sources(database, count, feed_url, paths=()):
    """``count`` RSS sources on the feed server (committed; reused by later runs, given its new port),
    the first ones on ``paths`` (``slow``, ``hang``), the others on ``feed``; the others are archived."""
    with environment(database, commit=True) as env:
        env["ir.config_parameter"].set_param("social_crm.allow_private_source_urls", "True")
        Source = env["social.source"].with_context(active_test=False)
        sources = Source.search([("name", "=like", "bench poll %")], order="id")
        missing = count - len(sources)
        if missing > 0:
            sources |= Source.create([{"name": f"bench poll {len(sources) + index}", "source_type": "rss",
                                       "url": "https://example.com/feed", "network": "other"}
                                      for index in range(missing)])
        sources = sources[:count]
        for index, source in enumerate(sources):
            kind = paths[index] if index < len(paths) else "feed"
            source.write({"url": f"{feed_url}/{kind}/{index}", "active": True})
        Source.search([("name", "=like", "bench poll %"), ("id", "not in", sources.ids)]).active = False
        return sources.ids


def reset_sources(database, source_ids):
    """Every source due again, with no cursor, and no mention of former runs."""
    with environment(database, commit=True) as env:
        env.execute_query(SQL("DELETE FROM social_mention WHERE source_id = ANY(%s)", source_ids))
        env.execute_query(SQL("UPDATE social_source SET last_run_at = NULL, cursor = NULL, last_error = NULL"
                              " WHERE id = ANY(%s)", source_ids))
        env.execute_query(SQL("DELETE FROM queue_job WHERE state IN ('pending', 'enqueued', 'wait_dependencies')"))


def mentions_of(database, source_ids):
    with environment(database) as env:
        return env.execute_query(SQL(
            "SELECT COUNT(*), COUNT(DISTINCT (source_id, external_id)) FROM social_mention WHERE source_id = ANY(%s)",
            source_ids))[0]


def poll_by_cron(args, feeds, source_ids):
    reset_sources(args.database, source_ids)
    feeds.max_in_flight = 0
    with environment(args.database, commit=True) as env:
        sources = env["social.source"].with_context(**NO_JOBS).browse(source_ids)
        with Timer() as timer:
            polled = sources._poll_due_sources(batch_size=len(sources))
    mentions, distinct = mentions_of(args.database, source_ids)
    return {"polled": polled, "seconds": timer.seconds, "mentions": mentions, "distinct": distinct,
            "in_flight": feeds.max_in_flight}


def wait_for_jobs(database, method, since, count=None, timeout=900):
    """Wait until the jobs of ``method`` created since ``since`` are all done (or failed): answer
    ``(seconds from since, {state: count}, {worker pid: count})``."""
    deadline = time.monotonic() + timeout
    while True:
        with environment(database) as env:
            rows = env.execute_query(SQL(
                "SELECT state, worker_pid, date_done FROM queue_job WHERE method_name = %s AND date_created >= %s",
                method, since))
        states = Counter(state for state, _pid, _done in rows)
        waiting = sum(n for state, n in states.items() if state not in ("done", "failed"))
        if (not waiting and (count is None or len(rows) >= count)) or time.monotonic() > deadline:
            last = max((done for _state, _pid, done in rows if done), default=since)
            workers = Counter(pid for state, pid, _done in rows if state == "done")
            return (last - since).total_seconds(), states, workers
        time.sleep(0.1)


@contextlib.contextmanager
def job_servers(args, name):
    """``args.servers`` Odoo servers in prefork mode, each with its job runner (``args.job_workers``
    polls and one after-work at once) and that many HTTP workers plus 2; with several servers, the
    runners hand the jobs to a round-robin proxy in front of them all."""
    channels = f"root:{args.job_workers + 1},root.social.poll:{args.job_workers},root.social.ingest:1"
    log_dir = Path(os.environ.get("TMPDIR", "/tmp"))
    ports = [free_port() for _server in range(args.servers)]
    env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS=channels)
    if args.servers > 1:
        proxy = RoundRobinProxy(ports)
        proxy.start()
        env["ODOO_QUEUE_JOB_PORT"] = str(proxy.port)
    servers = [Server(args.config, args.database, args.job_workers + 2, log_dir / f"bench_queue_{name}_{index}.log",
                      extra_args=["--load", "base,web,queue_job", "--max-cron-threads", "0"], env=env, port=port)
               for index, port in enumerate(ports)]
    started = []
    try:
        for server in servers:
            started.append(server.__enter__())
        for server in servers:  # each worker loads the registry on its first request
            for _worker in range(args.job_workers + 2):
                requests.get(f"{server.url}/web/login", timeout=60)
        time.sleep(6)  # the runner starts 5 s after its server
        yield servers
    finally:
        for server in started:
            server.__exit__(None, None, None)


def db_now(env):
    env.cr.execute("SELECT now() AT TIME ZONE 'UTC'")
    return env.cr.fetchone()[0]


def poll_by_jobs(args, feeds, source_ids):
    reset_sources(args.database, source_ids)
    feeds.max_in_flight = 0
    with job_servers(args, "polls") as servers:
        with environment(args.database, commit=True) as env:
            since = db_now(env)
            with Timer() as enqueue:
                queued = env["social.source"].browse(source_ids)._poll_due_sources()
        polls_seconds, poll_states, poll_workers = wait_for_jobs(args.database, "_poll_job", since, queued)
        after_seconds, after_states, _workers = wait_for_jobs(args.database, "_mention_after_work_job", since)
    mentions, distinct = mentions_of(args.database, source_ids)
    return {"queued": queued, "enqueue": enqueue.seconds, "seconds": polls_seconds, "after": after_seconds,
            "states": poll_states, "after_states": after_states, "workers": poll_workers, "mentions": mentions,
            "distinct": distinct, "in_flight": feeds.max_in_flight, "pids": [s.process.pid for s in servers]}


def bench_polls(args):
    feeds = FeedServer(args.delay)
    threading.Thread(target=feeds.serve_forever, daemon=True).start()
    source_ids = make_sources(args.database, args.sources, feeds.url)
    cron = poll_by_cron(args, feeds, source_ids)
    jobs = poll_by_jobs(args, feeds, source_ids)
    feeds.shutdown()
    expected = 3 * args.sources
    print(f"\n**Polls**: {args.sources} sources answering in {args.delay} s, 3 new entries each\n")
    print("| path | polls | time | sources/s | mentions (distinct) | most requests at once |\n"
          "| --- | ---: | ---: | ---: | ---: | ---: |")
    print(f"| cron (one after the other, after-work inline) | {cron['polled']} | {cron['seconds']:.1f} s |"
          f" {cron['polled'] / cron['seconds']:.1f} | {cron['mentions']} ({cron['distinct']}) | {cron['in_flight']} |")
    print(f"| jobs: {args.servers} server(s) × {args.job_workers} polls at once, polls done |"
          f" {jobs['queued']} | {jobs['seconds']:.1f} s | {jobs['queued'] / jobs['seconds']:.1f} |"
          f" {jobs['mentions']} ({jobs['distinct']}) | {jobs['in_flight']} |")
    print(f"| jobs: and their after-work done | | {max(jobs['after'], jobs['seconds']):.1f} s | | | |")
    print(f"\nqueuing the {jobs['queued']} jobs: {jobs['enqueue']:.2f} s; poll jobs by state {dict(jobs['states'])},"
          f" after-work jobs by state {dict(jobs['after_states'])}")
    print(f"poll jobs by worker process (servers {jobs['pids']}): {dict(sorted(jobs['workers'].items()))}")
    speedup = cron["seconds"] / max(jobs["after"], jobs["seconds"])
    print(f"speed-up, everything done: {speedup:.1f}x (polls alone {cron['seconds'] / jobs['seconds']:.1f}x)",
          flush=True)
    return (cron["mentions"] == cron["distinct"] == expected and jobs["mentions"] == jobs["distinct"] == expected
            and jobs["states"].get("done") == args.sources)


# ---------------------------------------------------------------------------- webhook


def post(session, url, secret, batch):
    body = json.dumps({"mentions": batch}).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    answer = session.post(url, data=body, timeout=120, headers={
        "Content-Type": "application/json", "X-Social-CRM-Signature": f"sha256={signature}"})
    answer.raise_for_status()
    return answer.json()["created"]


def webhook_run(args, workers, deferred, tag):
    secret = "bench-secret"
    run = start_run(args.database, {"name": f"bench queue webhook {tag}", "webhook_secret": secret})
    env = dict(os.environ, ODOO_QUEUE_JOB_CHANNELS="root:1,root.social.ingest:1")
    if not deferred:
        env["QUEUE_JOB__NO_DELAY"] = "1"  # what with_delay is given is done at once: as without the queue
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_queue_webhook_{tag}.log"
    server = Server(args.config, args.database, workers, log_path,
                    extra_args=["--load", "base,web,queue_job", "--max-cron-threads", "0"], env=env)
    payload = list(items(f"q{tag}", args.items))
    batches = [payload[start:start + 100] for start in range(0, len(payload), 100)]
    created = Counter()
    try:
        with server:
            url = f"{server.url}/social_crm/webhook/{run['source_id']}"
            warm = list(items(f"qw{tag}", 20 * workers))
            for start in range(0, len(warm), 10):
                post(requests, url, secret, warm[start:start + 10])
            with environment(args.database) as env_:
                since = db_now(env_)
            todo = iter(batches)
            lock = threading.Lock()

            def sender(k):
                with requests.Session() as session:
                    while True:
                        with lock:
                            batch = next(todo, None)
                        if batch is None:
                            return
                        created[k] += post(session, url, secret, batch)

            threads = [threading.Thread(target=sender, args=(k,)) for k in range(workers)]
            with Timer() as timer:
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            after = wait_for_jobs(args.database, "_mention_after_work_job", since)[0] if deferred else 0.0
    finally:
        remove_run(args.database, run, [f"new_q{tag}_%", f"new_qw{tag}_%"])
    assert sum(created.values()) == args.items, f"{sum(created.values())} of {args.items} created"
    return timer.seconds, after, request_costs(log_path, skip=len(warm) // 10)


# what Odoo logs of each request: "POST <path> HTTP/1.1" <status> - <queries> <query seconds> <other seconds>
REQUEST_LOG = re.compile(r'"POST /social_crm/webhook/\S+ HTTP/[\d.]+" 200 - (\d+) ([\d.]+) ([\d.]+)')


def request_costs(log_path, skip=0):
    """Medians of the webhook's requests in an Odoo server's log, its first ``skip`` ones (the
    warm-up) left out: ``(queries, milliseconds in queries, milliseconds in the rest)``."""
    costs = [match.groups() for match in map(REQUEST_LOG.search, log_path.read_text(errors="replace").splitlines())
             if match][skip:]
    if not costs:
        return None
    return (statistics.median(int(queries) for queries, _sql, _rest in costs),
            statistics.median(1000 * float(sql) for _queries, sql, _rest in costs),
            statistics.median(1000 * float(rest) for _queries, _sql, rest in costs))


def batch_rate(args):
    run = start_run(args.database, {"name": "bench queue batch"})
    try:
        with environment(args.database) as env:
            Mention = env["social.mention"].with_context(**NO_JOBS)
            source = env["social.source"].browse(run["source_id"])
            Mention._ingest(source, list(items("qbwarm", 1000)))
            payload = list(items("qb", args.items))
            with Timer() as timer:
                for start in range(0, len(payload), 1000):
                    Mention._ingest(source, payload[start:start + 1000])
    finally:
        remove_run(args.database, run, ["new_qb_%", "new_qbwarm_%"])
    return args.items / timer.seconds


def bench_webhook(args):
    # the known authors of the items are the profiles bench0 … bench<items - 1>
    ensure_contacts_with_profiles(args.database, min(CONTACTS, args.items))
    batch = batch_rate(args)
    print(f"\n**Webhook**: {args.items:,} items in requests of 100, as many senders as workers; the batch path"
          f" (`_ingest`, 1,000 per call, after-work inline, in this process): {batch:,.0f} items/s\n")
    print("| workers | after-work | requests answered | items/s | share of the batch path | after-work done |"
          " a request (median): queries, ms in them, ms else |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for workers in (1, 2):
        for deferred in (False, True):
            tag = f"{int(time.time()) % 100000}{workers}{int(deferred)}"
            seconds, after, costs = webhook_run(args, workers, deferred, tag)
            rate = args.items / seconds
            done = f"{max(after, seconds):.1f} s" if deferred else "-"
            cost = "{:.0f}, {:.0f} ms, {:.0f} ms".format(*costs) if costs else "-"
            print(f"| {workers} | {'one job per request' if deferred else 'in the request'} | {seconds:.1f} s |"
                  f" {rate:,.0f} | {100 * rate / batch:.0f} % | {done} | {cost} |", flush=True)
    return True


def job_rows(database, method, since):
    with environment(database) as env:
        return env.execute_query(SQL(
            "SELECT records::text, state, worker_pid, retry, exc_info IS NOT NULL, date_done FROM queue_job"
            " WHERE method_name = %s AND date_created >= %s ORDER BY id", method, since))


def bench_faults(args):
    """A worker killed in the middle of a poll, a source that never answers in time, a poison item."""
    feeds = FeedServer(args.delay)
    threading.Thread(target=feeds.serve_forever, daemon=True).start()
    source_ids = make_sources(args.database, 8, feeds.url, paths=("slow", "hang"))
    slow_id, hang_id, normal_ids = source_ids[0], source_ids[1], source_ids[2:]
    reset_sources(args.database, source_ids)
    passed = True
    args.servers = 1
    with job_servers(args, "faults") as [server]:
        with environment(args.database, commit=True) as env:
            since = db_now(env)
            env["social.source"].browse(source_ids)._poll_due_sources()
        # the poll of the slow source: its worker is killed while it waits for the feed
        victim, deadline = None, time.monotonic() + 60
        while not victim and time.monotonic() < deadline:
            victim = next((pid for records, state, pid, *_rest in job_rows(args.database, "_poll_job", since)
                           if state == "started" and pid and f"[{slow_id}]" in records), None)
            time.sleep(0.1)
        time.sleep(1)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        # the other polls go on beside the hanging one
        with Timer() as others:
            while True:
                rows = job_rows(args.database, "_poll_job", since)
                done = {records for records, state, *_rest in rows if state == "done"}
                if all(f"[{source_id}]" in " ".join(done) for source_id in normal_ids):
                    break
                if time.perf_counter() - others.started > 120:
                    break
                time.sleep(0.2)
        hang_state = next(state for records, state, *_rest in rows if f"[{hang_id}]" in records)
        # the killed poll, found dead by the runner (its lock is gone), runs again
        while time.monotonic() - killed_at < 180:
            rows = job_rows(args.database, "_poll_job", since)
            slow = next(row for row in rows if f"[{slow_id}]" in row[0])
            if slow[1] in ("done", "failed"):
                break
            time.sleep(0.5)
        slow_seconds = time.monotonic() - killed_at
        slow_mentions = mentions_of(args.database, [slow_id])
        # the hanging source: the connector's timeouts end its poll, with the error on the source
        while time.monotonic() - killed_at < 240:
            rows = job_rows(args.database, "_poll_job", since)
            hang = next(row for row in rows if f"[{hang_id}]" in row[0])
            if hang[1] in ("done", "failed"):
                break
            time.sleep(1)
        hang_seconds = time.monotonic() - killed_at
        with environment(args.database) as env:
            hang_error = env["social.source"].browse(hang_id).last_error or ""
        # a poison item among good ones, through the webhook
        secret = "bench-secret"
        run = start_run(args.database, {"name": "bench queue poison", "webhook_secret": secret})
        try:
            good = list(items("qpoison", 50))
            poison = {"id": "qpoison-bad", "author": {"handle": "qpoisonbad"}, "text": "Acme",
                      "posted_at": "the day after tomorrow"}
            body = json.dumps({"mentions": [*good[:25], poison, *good[25:]]}).encode()
            signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            with environment(args.database) as env:
                posted = db_now(env)
            answer = requests.post(f"{server.url}/social_crm/webhook/{run['source_id']}", data=body, timeout=60,
                                   headers={"Content-Type": "application/json",
                                            "X-Social-CRM-Signature": f"sha256={signature}"}).json()
            # its after-work job writes the source's series: the run is removed once it is done
            wait_for_jobs(args.database, "_mention_after_work_job", posted, count=1, timeout=120)
            with environment(args.database) as env:
                quarantined = env["social.mention.quarantine"].search_count([("source_id", "=", run["source_id"])])
                stored = env["social.mention"].search_count([("source_id", "=", run["source_id"])])
        finally:
            with environment(args.database, commit=True) as env:
                env["social.mention.quarantine"].search([("source_id", "=", run["source_id"])]).unlink()
            remove_run(args.database, run, ["new_qpoison_%"])
    feeds.shutdown()
    print("\n**Faults** (one server, 4 polls at once)\n\n| fault | what happened |\n| --- | --- |")
    print(f"| `kill -9` of worker {victim} polling a source (its feed answers in {SLOW_SECONDS} s) | job"
          f" {slow[1]} {slow_seconds:.0f} s after the kill (retry {slow[3]}), the feed asked {feeds.seen['slow']}"
          f" times, {slow_mentions[0]} mentions stored ({slow_mentions[1]} distinct, 3 expected) |")
    print(f"| a source that never answers in time | the {len(normal_ids)} other polls done {others.seconds:.1f} s"
          f" after the kill, the hanging one then {hang_state}; it ended {hang[1]} after {hang_seconds:.0f} s"
          f" ({feeds.seen['hang']} attempts), the source says: {hang_error[:80]!r} |")
    print(f"| a poison item among 50 good ones (webhook) | answer: created {answer.get('created')}, errors"
          f" {len(answer.get('errors', []))}; stored {stored}, Failed Items {quarantined} |", flush=True)
    passed &= (slow[1] == "done" and slow_mentions == (3, 3) and hang[1] == "done" and hang_state == "started"
               and answer.get("created") == 50 and stored == 50 and quarantined == 1)
    return passed


def main():
    args = parse_args()
    print(f"job queue benchmark on {args.database}; load average before: {os.getloadavg()[0]:.1f} on"
          f" {os.cpu_count()} CPUs", flush=True)
    passed = True
    if args.faults:
        args.skip_polls = args.skip_webhook = True
        passed &= bench_faults(args)
    if not args.skip_polls:
        passed &= bench_polls(args)
    if not args.skip_webhook:
        passed &= bench_webhook(args)
    print(f"\nload average after: {os.getloadavg()[0]:.1f}; job queue benchmark:",
          "passed" if passed else "FAILED", flush=True)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
