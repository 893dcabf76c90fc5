"""Replies delivered per second by the "Deliver replies" job, against a Mastodon instance played on 127.0.0.1.

For each size: that many inbound mentions are answered with ``social.mention.reply`` (timed too),
then the job's batches (``_lock_due_replies`` then ``_deliver``, 50 replies each, as
``_cron_deliver_replies`` runs them, without its commits) post them all. The local instance
answers each ``POST /api/v1/statuses`` with a new Status at once: what is measured is Odoo's side
(locking, one HTTP request per reply, storing what the network answered). Everything is rolled back.

    python bench/bench_reply_delivery.py --config .local/odoo.conf --database social_crm_bench --sizes 200,1000
"""
import itertools
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import Timer, environment, parse_args, report  # noqa: E402


class _Instance(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection per publisher, as with a real instance
    ids = itertools.count(120_000_000_000_000_000)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status_id = str(next(self.ids))
        body = json.dumps({"id": status_id, "url": f"https://mastodon.example/@acme/{status_id}",
                           "visibility": "public", "content": "<p>ok</p>"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """Quiet."""


def main():
    args = parse_args()
    if args.sizes == [10000, 100000]:  # the common default: too many posts for this one
        args.sizes = [200, 1000]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Instance)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    print("| step | replies | time | rate |\n| --- | --- | --- | --- |", flush=True)
    try:
        for size in args.sizes:
            with environment(args.database) as env:
                env["ir.config_parameter"].set_param("social_crm.allow_private_source_urls", "True")
                company = env["res.company"].create({"name": f"Bench replies {size}"})
                source = env["social.source"].create({"name": "Bench replies", "source_type": "webhook",
                                                      "network": "mastodon", "company_id": company.id})
                env["social.account"].create({
                    "name": "Bench", "network": "mastodon", "base_url": url, "access_token": "bench-token",
                    "handle": "acme@mastodon.example", "company_id": company.id, "state": "connected"})
                Mention = env["social.mention"]
                mentions = Mention.create([{
                    "source_id": source.id, "network": "mastodon", "external_id": f"bench-in-{i}",
                    "author_handle": f"fan{i}@mastodon.example", "body": f"Is the X{i} in stock?"}
                    for i in range(size)])
                with Timer() as timer:
                    for mention in mentions:
                        mention.reply("Yes, it ships today.")
                report("reply() (queued)", size, timer.seconds, "replies")
                with Timer() as timer:
                    sent = 0
                    while batch := Mention._lock_due_replies(50):
                        sent += batch._deliver()
                report("delivered by the job", sent, timer.seconds, "replies")
                if sent != size:
                    raise SystemExit(f"{size - sent} replies were not delivered")
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
