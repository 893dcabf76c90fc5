"""Mastodon statuses as they are published, from the streaming API of an instance (server-sent events).

``GET /api/v1/streaming/hashtag?tag=…``, ``/public``, ``/public/local`` or ``/user/notification``
(the account's notifications: its mentions and the replies to it, with the account's token)
answers ``text/event-stream``: ``event: update`` with a Status as JSON in ``data:``, ``event:
delete`` with the id of a deleted status, ``event: status.update`` for an edit, ``event:
notification`` with a Notification, and ``:thump`` comments as heartbeats. After every
(re)connection the gap is filled from the REST listing of the same timeline (``min_id`` = the last
id received, page after page), so what was posted while the stream was away is not lost.
"""
import json
import logging
import socket
from datetime import datetime
from urllib.parse import urlencode

import requests

from .base import USER_AGENT, ConnectorError, PinnedAddressAdapter, check_url_shape, mapping, public_url
from .mastodon import MastodonConnector
from .stream import FrameError, StreamEvent, StreamReader

_logger = logging.getLogger(__name__)

# timeline of a live source -> (path of its stream under /api/v1/streaming, REST timeline of the gap)
STREAMS = {
    "hashtag": ("/hashtag", None),
    "public": ("/public", "public"),
    "local": ("/public/local", "local"),
    "user": ("/user/notification", "mentions"),
}
MAX_EVENT_CHARS = 1_000_000


def streaming_url(base_url, timeline, hashtag=None, stream_url=None):
    """The URL of the stream of ``timeline`` on the instance ``base_url`` (or on the streaming
    server ``stream_url``, when the instance names another one: ``urls.streaming_api``)."""
    path, _rest = STREAMS[timeline]
    root = (stream_url or f"{(base_url or '').rstrip('/')}/api/v1/streaming").rstrip("/")
    url = f"{root}{path}"
    if timeline == "hashtag":
        url += "?" + urlencode({"tag": (hashtag or "").lstrip("#")})
    return url


def _time_us(value):
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1_000_000)
    except (AttributeError, TypeError, ValueError):
        return None


def status_event(connector, status, position=None, now_us=None):
    """The :class:`StreamEvent` of a Status (``None`` for a boost: other people's words), its item
    made by the poller's own mapping (``connector._normalize``)."""
    if not isinstance(status, dict) or not str(status.get("id") or "").isdigit():
        raise FrameError("a status without an id")
    if status.get("reblog"):
        return None
    item = connector._normalize(status)
    tags = frozenset(str(mapping(tag).get("name") or "").lower() for tag in status.get("tags") or ()
                     if isinstance(status.get("tags"), list)) - {""}
    lang = status.get("language")
    return StreamEvent("create", _time_us(status.get("created_at")) or now_us, item["id"], item=item, tags=tags,
                       langs=(lang,) if isinstance(lang, str) and lang else (),
                       position=int(position if position is not None else status["id"]), ordered=False)


def parse_event(connector, name, data, now_us):
    """The :class:`StreamEvent` of one server-sent event; ``None`` for the events that hold no new
    post (edits keep the text stored, notifications other than mentions, kinds unknown);
    :class:`FrameError` when its data is not what the event promises."""
    if name == "delete":
        status_id = data.strip()
        if not status_id.isdigit():
            raise FrameError("a delete event without a status id")
        return StreamEvent("delete", now_us, status_id, ordered=False)
    if name not in ("update", "notification"):
        return None  # status.update (an edit), filters_changed, announcements, conversations…
    if len(data) > MAX_EVENT_CHARS:
        raise FrameError("an event far too large to be a status")
    try:
        payload = json.loads(data)
    except ValueError as error:
        raise FrameError(f"{name} data that is not JSON ({error})") from None
    if name == "notification":
        payload = mapping(payload)
        if payload.get("type") != "mention":
            return None
        if not str(payload.get("id") or "").isdigit():
            raise FrameError("a notification without an id")
        return status_event(connector, payload.get("status"), position=payload["id"], now_us=now_us)
    return status_event(connector, payload, now_us=now_us)


class MastodonStreamReader(StreamReader):
    """Reads the stream of one timeline of one instance until stopped (see
    :class:`~.stream.StreamReader`); ``cursor`` is the id of the last status (of the last
    notification for ``user``) received: the gap after it is read from the REST timeline.

    ``config``: ``base_url``, ``timeline`` (a key of :data:`STREAMS`), ``hashtag``,
    ``stream_url`` (another streaming server), ``access_token``, ``allow_private``.
    """

    def __init__(self, config, emit, cursor=None, gap_pages=25, name=None, **options):
        config = dict(config)
        self.timeline = config.get("timeline") or "hashtag"
        url = streaming_url(config.get("base_url"), self.timeline, config.get("hashtag"), config.get("stream_url"))
        super().__init__(url, emit, cursor=int(cursor) if cursor else None,
                         name=name or f"mastodon {public_url(url)}", **options)
        self.access_token = config.get("access_token") or None
        rest_timeline = STREAMS[self.timeline][1]
        self.connector = MastodonConnector(
            {"base_url": config.get("base_url"), "hashtag": config.get("hashtag"), "timeline": rest_timeline,
             "access_token": self.access_token}, allow_private=config.get("allow_private", False),
            timeout=(5, max(5.0, self.stall_seconds)), max_retries=1, backoff=self.backoff_seconds,
            sleep=self.stopping.wait)
        self.gap_pages = gap_pages
        self.session = requests.Session()
        adapter = PinnedAddressAdapter(allow_private=config.get("allow_private", False))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._response = None
        self._received = False  # an event came on the current connection

    def stop(self):  # pylint: disable=missing-return
        super().stop()
        response = self._response
        sock = getattr(getattr(getattr(response, "raw", None), "_connection", None), "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # wakes the read waiting for a line
            except OSError:
                _logger.debug("Closing the stream of %s", self.name, exc_info=True)

    def _read_until_dropped(self):
        self._received = False
        headers = {"Accept": "text/event-stream", "User-Agent": USER_AGENT, "Cache-Control": "no-cache"}
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        try:
            check_url_shape(self.stream_url)
            response = self._response = self.session.get(
                self.stream_url, headers=headers, stream=True, timeout=(10, self.stall_seconds),
                allow_redirects=False)
            if self.stopping.is_set():
                return None
            if response.status_code != 200:
                hint = " Check the access token of the source." if response.status_code in (401, 403) else ""
                return f"{public_url(self.stream_url)} answered HTTP {response.status_code} {response.reason}.{hint}"
            self.emit("connected", None)
            # subscribed: what is posted from now on comes by the stream, what came before by the gap
            if self.cursor:
                self._fill_gap()
            self._read_events(response)
        except requests.exceptions.ConnectionError as error:
            if self.stopping.is_set():
                return None
            if "timed out" in str(error).lower():
                return f"no frame for {self.stall_seconds:g} seconds: reconnecting"
            if self._received:
                return None
            return f"{public_url(self.stream_url)} could not be reached ({type(error).__name__})"
        except (requests.RequestException, ConnectorError, OSError) as error:
            if self.stopping.is_set():
                return None
            return f"{type(error).__name__}: {error}"
        finally:
            response, self._response = self._response, None
            if response is not None:
                response.close()
            # a stream read to its end puts its socket back in the pool, while the server that ended
            # it is closing it: the next connection would race that close and fail to connect
            self.session.close()
        return None if self._received else "the server closed the connection"

    def _read_events(self, response):
        """Dispatch the server-sent events of ``response`` until it ends. Any line, a heartbeat
        included, resets the read timeout: only silence is a stall."""
        name, data = None, []
        for line in response.iter_lines(chunk_size=None, decode_unicode=False):
            if self.stopping.is_set():
                break
            line = line.decode("utf-8", "replace")
            if not line:  # the end of an event
                if name is not None or data:
                    self._received = True
                    self._handle(name or "message", "\n".join(data))
                name, data = None, []
            elif not line.startswith(":"):  # ":thump" is a heartbeat, other comments nothing
                key, _sep, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if key == "event":
                    name = value
                elif key == "data":
                    data.append(value)

    def _fill_gap(self):
        """Emit what the timeline holds after the cursor, oldest first (the stream of a hashtag
        answers what the timeline of the tag does; ingestion skips what arrives twice)."""
        started = self.cursor
        now_us = _now_us()
        for position, entry in self.connector.fetch_newer(self.cursor, max_pages=self.gap_pages):
            if self.stopping.is_set():
                return
            try:
                if self.timeline == "user":
                    event = parse_event(self.connector, "notification", json.dumps(entry), now_us)
                else:
                    event = status_event(self.connector, entry, position=position, now_us=now_us)
            except FrameError as error:
                self._skip(error)
                continue
            self.cursor = max(self.cursor, position)
            if event is not None:
                self.emit("event", event)
        if self.cursor != started:
            _logger.info("%s: filled the gap after %s up to %s from the timeline", self.name, started, self.cursor)

    def _handle(self, name, data):
        try:
            event = parse_event(self.connector, name, data, _now_us())
        except FrameError as error:
            self._skip(error)
            return
        if event is not None:
            if event.position is not None:
                self.cursor = max(self.cursor or 0, event.position)
            self.emit("event", event)


def _now_us():
    return int(datetime.now().timestamp() * 1_000_000)
