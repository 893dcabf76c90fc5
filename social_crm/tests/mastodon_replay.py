"""A Mastodon instance on 127.0.0.1 answering its streaming API (server-sent events, chunked as
the streaming server sends them) and the REST timelines a stream fills its gaps from, replaying
statuses given by a test or a benchmark, with the faults of real servers on demand."""
import json
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "mastodon-test-token"


def status(status_id, text="Acme is great", username="ann", followers=10, tags=(), language="en",
           created_at=None, reblog=None, in_reply_to_id=None):
    """A Status as the API documents it (the fields the connectors read, and a few more)."""
    created_at = created_at or (datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")
    return {
        "id": str(status_id), "created_at": created_at, "in_reply_to_id": in_reply_to_id,
        "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "", "visibility": "public",
        "language": language, "uri": f"https://remote.example/users/{username}/statuses/{status_id}",
        "url": f"https://remote.example/@{username}/{status_id}", "replies_count": 0, "reblogs_count": 0,
        "favourites_count": 0, "content": f"<p>{text}</p>", "reblog": reblog, "media_attachments": [],
        "mentions": [], "tags": [{"name": tag, "url": f"https://remote.example/tags/{tag}"} for tag in tags],
        "emojis": [], "card": None, "poll": None,
        "account": {"id": str(100 + sum(map(ord, username))), "username": username,
                    "acct": f"{username}@remote.example",
                    "display_name": username.title(), "url": f"https://remote.example/@{username}",
                    "followers_count": followers, "following_count": 1, "statuses_count": 1},
    }


def notification(notification_id, status_payload, kind="mention"):
    return {"id": str(notification_id), "type": kind, "created_at": status_payload["created_at"],
            "account": status_payload["account"], "status": status_payload}


class MastodonReplay:
    """Serves ``/api/v1/streaming/<stream>``: every event added (to every client, from its first
    connection on, as a live stream does: nothing before the connection), ``:thump`` heartbeats
    every ``heartbeat`` seconds; and ``/api/v1/timelines/tag/<tag>``, ``/api/v1/timelines/public``,
    ``/api/v1/notifications`` answering the statuses (notifications) added with ``timeline=True``,
    newest first, honouring ``min_id``, ``since_id``, ``max_id`` and ``limit``.

    :param close_every: close each stream after sending this many events
    :param stall_after: on the first stream connection, stop sending after this many events, socket open
    :param heartbeat: seconds between two heartbeats (None: none)
    """

    def __init__(self, close_every=None, stall_after=None, heartbeat=None):
        self.close_every = close_every
        self.stall_after = stall_after
        self.heartbeat = heartbeat
        self.events = []  # (key or None, text of the event)
        self.timeline = []  # entries (statuses or notifications) the REST API answers
        self.connections = []  # path and query of each stream connection
        self.rest_requests = []  # path and query of each REST request
        self.sent_at = {}  # key -> time.time() when first sent (benchmarks)
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        replay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args):
                pass

            def do_GET(self):  # noqa: N802 - http.server's name
                replay._answer(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="mastodon replay")

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc):
        self.stop()

    def stop(self):
        self._stopping.set()
        with self._changed:
            self._changed.notify_all()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    # ------------------------------------------------------------------ what is replayed

    def add(self, *events, timeline=True):
        """Queue stream events: ``("update", status)``, ``("delete", id)``, ``("status.update", status)``,
        ``("notification", notification)``, or raw text (sent as it is: a malformed event). The
        statuses and notifications of updates go to the REST timeline too unless not ``timeline``."""
        with self._changed:
            for event in events:
                if isinstance(event, str):
                    self.events.append((None, event))
                    continue
                name, payload = event
                data = payload if isinstance(payload, str) else json.dumps(payload)
                key = payload["id"] if name in ("update", "notification") else None
                self.events.append((key, f"event: {name}\ndata: {data}\n\n"))
                if timeline and name in ("update", "notification"):
                    self.timeline.append(payload)
            self._changed.notify_all()

    def add_to_timeline(self, *entries):
        """Entries only the REST timeline holds (posted while no stream was connected)."""
        with self._changed:
            self.timeline.extend(entries)

    # ------------------------------------------------------------------ HTTP

    def _answer(self, handler):
        parts = urlsplit(handler.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        if parts.path.startswith("/api/v1/streaming"):
            if parts.path.endswith("/user/notification") and handler.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send_json(handler, 401, {"error": "The access token is invalid"})
                return
            self._stream(handler, parts.path, query)
        elif parts.path.startswith(("/api/v1/timelines/", "/api/v1/notifications")):
            with self._changed:
                self.rest_requests.append({"path": parts.path, **query})
                entries = sorted(self.timeline, key=lambda entry: int(entry["id"]), reverse=True)
            limit = int(query.get("limit", 20))
            if query.get("min_id"):  # the page just after min_id (newest first within it)
                entries = [entry for entry in entries if int(entry["id"]) > int(query["min_id"])][-limit:]
            else:
                if query.get("max_id"):
                    entries = [entry for entry in entries if int(entry["id"]) < int(query["max_id"])]
                if query.get("since_id"):
                    entries = [entry for entry in entries if int(entry["id"]) > int(query["since_id"])]
                entries = entries[:limit]
            self._send_json(handler, 200, entries)
        else:
            self._send_json(handler, 404, {"error": "Record not found"})

    @staticmethod
    def _send_json(handler, code, payload):
        body = json.dumps(payload).encode()
        handler.send_response(code)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _stream(self, handler, path, query):
        with self._changed:
            self.connections.append({"path": path, **query})
            number = len(self.connections)
            index = len(self.events)  # a live stream: what is added from now on
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.send_header("Cache-Control", "no-store")
        handler.end_headers()

        def chunk(text):
            data = text.encode()
            handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            handler.wfile.flush()

        sent = 0
        beat_at = time.monotonic() + (self.heartbeat or 0)
        try:
            chunk(":)\n")  # what Mastodon's streaming server sends first
            while not self._stopping.is_set():
                with self._changed:
                    if index >= len(self.events):
                        self._changed.wait(0.1)
                    pending = self.events[index:]
                if self.heartbeat and time.monotonic() >= beat_at:
                    beat_at = time.monotonic() + self.heartbeat
                    chunk(":thump\n")
                if not pending:
                    continue
                if self.stall_after is not None and number == 1 and sent >= self.stall_after:
                    while not self._stopping.is_set():  # open and silent, until the client leaves
                        self._stopping.wait(0.2)
                    return
                batch = []
                for key, text in pending:
                    if self.stall_after is not None and number == 1 and sent >= self.stall_after:
                        break
                    index += 1
                    batch.append(text)
                    sent += 1
                    if key is not None:
                        self.sent_at.setdefault(key, time.time())
                    if self.close_every and sent % self.close_every == 0:
                        break
                chunk("".join(batch))
                if self.close_every and sent % self.close_every == 0:
                    handler.wfile.write(b"0\r\n\r\n")
                    handler.wfile.flush()
                    time.sleep(0.05)  # the socket closes a moment after the stream ends, as behind a proxy
                    handler.close_connection = True
                    return
        except OSError:
            return
