"""Bluesky posts as they are published, from a Jetstream instance (JSON over a websocket).

Pure Python, like the other connectors: :class:`JetstreamReader` turns frames into
:class:`StreamEvent` objects for a consumer (the ``social-stream`` command), :class:`PostFilter`
keeps those a source listens for, and :func:`post_item` maps a post to the webhook item format.

Jetstream sends one JSON object per frame: ``{"did", "time_us", "kind": "commit"|"identity"|"account",
"commit": {"operation": "create"|"update"|"delete", "collection", "rkey", "record", "cid"}}``.
``time_us`` is the instance's clock when it sent the event: passed back as ``cursor`` it replays
the events from that moment, so a reader resumes where it stopped.
"""
import json
import logging
import re
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .base import ConnectorError, check_url_allowed, iso_utc, mapping, public_url
from .bluesky import post_refs
from .stream import FrameError, StreamEvent, StreamReader, lag_seconds  # noqa: F401 - lag_seconds: imported from here too

_logger = logging.getLogger(__name__)

DEFAULT_JETSTREAM_URL = "wss://jetstream2.us-east.bsky.network/subscribe"
POST_COLLECTION = "app.bsky.feed.post"
WEB_URL = "https://bsky.app"
MAX_FRAME_CHARS = 1_000_000  # a post is a few kilobytes: anything far larger is not one


def post_uri(did, rkey):
    return f"at://{did}/{POST_COLLECTION}/{rkey}"


def check_stream_url(url, allow_private=False):
    """Raise ConnectorError unless ``url`` is a ws(s) URL that may be reached (the rules of
    :func:`~.base.check_url_allowed`: public addresses only, unless an administrator allowed others)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ConnectorError(f"Refused stream URL {public_url(url or '')}: a ws:// or wss:// URL is expected.")
    check_url_allowed(urlunsplit(parts._replace(scheme="https" if parts.scheme == "wss" else "http")),
                      allow_private=allow_private)
    return url


def subscribe_url(stream_url, cursor=None):
    """``stream_url`` asking for posts only, from ``cursor`` (a ``time_us``) when given."""
    parts = urlsplit(stream_url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if key not in ("wantedCollections", "cursor")]
    query.append(("wantedCollections", POST_COLLECTION))
    if cursor:
        query.append(("cursor", str(cursor)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def parse_frame(frame):
    """The :class:`StreamEvent` of a frame; ``None`` for events of other kinds, collections or
    operations (identity and account changes, likes, …); :class:`FrameError` if it is not an event."""
    if isinstance(frame, bytes):
        try:
            frame = frame.decode("utf-8")
        except UnicodeDecodeError:
            raise FrameError("a binary frame that is not UTF-8 text") from None
    if not isinstance(frame, str) or len(frame) > MAX_FRAME_CHARS:
        raise FrameError("a frame that is not a JSON text of a reasonable size")
    try:
        event = json.loads(frame)
    except ValueError as error:
        raise FrameError(f"not JSON ({error})") from None
    if not isinstance(event, dict):
        raise FrameError("a JSON value that is not an object")
    time_us = event.get("time_us")
    if isinstance(time_us, bool) or not isinstance(time_us, int) or time_us <= 0:
        raise FrameError("an event without a time_us")
    if event.get("kind") != "commit":
        return None
    commit = mapping(event.get("commit"))
    if commit.get("collection") != POST_COLLECTION:
        return None
    did, rkey = event.get("did"), commit.get("rkey")
    if not isinstance(did, str) or not did.startswith("did:") or not isinstance(rkey, str) or not rkey:
        raise FrameError("a commit without a did or a record key")
    operation = commit.get("operation")
    if operation == "delete":
        return StreamEvent("delete", time_us, post_uri(did, rkey))
    if operation != "create":  # an edited post keeps the text it was stored with
        return None
    record = mapping(commit.get("record"))
    cid = commit.get("cid") if isinstance(commit.get("cid"), str) else None
    return StreamEvent("create", time_us, post_uri(did, rkey), item=post_item(did, rkey, record, time_us, cid),
                       tags=_tags(record), langs=_langs(record))


def post_item(did, rkey, record, time_us, cid=None):
    """A post of a Jetstream commit in the webhook item format. Events name the author by did
    alone: the did is the account id, and the profile address is that of the did."""
    profile = f"{WEB_URL}/profile/{did}"
    langs = _langs(record)
    text = record.get("text")
    return {
        "id": post_uri(did, rkey),
        "network": "bluesky",
        "author": {"account_id": did, "url": profile},
        "text": text if isinstance(text, str) else "",
        "url": f"{profile}/post/{rkey}",
        "posted_at": iso_utc(record.get("createdAt")) or iso_utc(time_us / 1_000_000),
        "lang": langs[0] if langs else None,
        "parent_id": mapping(mapping(record.get("reply")).get("parent")).get("uri"),
        **{key: value for key, value in post_refs(cid, record).items() if value},
    }


def _langs(record):
    langs = record.get("langs")
    return tuple(lang for lang in langs if isinstance(lang, str)) if isinstance(langs, list) else ()


def _tags(record):
    """The hashtags of a post: its ``#tag`` facets and its ``tags`` list, lower case."""
    tags = {tag for tag in record.get("tags") or () if isinstance(tag, str)} if isinstance(
        record.get("tags"), list) else set()
    for facet in record.get("facets") or () if isinstance(record.get("facets"), list) else ():
        for feature in mapping(facet).get("features") or ():
            feature = mapping(feature)
            if feature.get("$type") == "app.bsky.richtext.facet#tag" and isinstance(feature.get("tag"), str):
                tags.add(feature["tag"])
    return frozenset(tag.lower().lstrip("#") for tag in tags)


_TERM = re.compile(r'"([^"]*)"|(\S+)')


class PostFilter:
    """Which posts a live source keeps: its search query and its languages.

    The query holds alternatives separated by commas or ``OR``; a post matches an alternative when
    it holds all of its terms, in any order: words (whole words, any case), ``"quoted phrases"`` and
    ``#hashtags`` (the post's tags, or the tag written in its text). Languages are codes separated
    by commas (``en, fr``); ``en`` keeps ``en-GB`` too; a post saying no language is kept only when
    the source names none.
    """

    def __init__(self, query, languages=None, keep_all=False):
        self.keep_all = keep_all  # an empty query keeps every post (the stream itself is the filter)
        self.alternatives = []
        for alternative in re.split(r",|\bOR\b", query or ""):
            terms = [phrase or word for phrase, word in _TERM.findall(alternative)]
            compiled = [self._term(term.strip()) for term in terms if term.strip() not in ("", "#")]
            if compiled:
                self.alternatives.append(compiled)
        self.languages = {code.strip().lower().split("-")[0] for code in (languages or "").split(",") if code.strip()}

    @staticmethod
    def _term(term):
        if term.startswith("#"):
            tag = term[1:].lower()
            return tag, re.compile(rf"(?<![\w#])#{re.escape(tag)}(?![\w])", re.IGNORECASE)
        words = r"\s+".join(re.escape(word) for word in term.split())
        return None, re.compile(rf"(?<![\w]){words}(?![\w])", re.IGNORECASE)

    def __bool__(self):
        return bool(self.alternatives)

    def matches(self, event):
        if self.languages and not any(lang.lower().split("-")[0] in self.languages for lang in event.langs):
            return False
        if self.keep_all and not self.alternatives:
            return True
        text = event.item["text"]
        return any(all((tag is not None and tag in event.tags) or pattern.search(text) for tag, pattern in terms)
                   for terms in self.alternatives)


class JetstreamReader(StreamReader):
    """Reads one Jetstream instance until stopped, reconnecting after any interruption (see
    :class:`~.stream.StreamReader`). ``connect(url, timeout)`` opens the websocket
    (websocket-client's ``create_connection`` by default).
    """

    def __init__(self, stream_url, emit, cursor=None, connect=None, name=None, **options):
        super().__init__(stream_url, emit, cursor=int(cursor) if cursor else None,
                         name=name or f"jetstream {public_url(stream_url.replace('ws', 'http', 1))}", **options)
        self.connect = connect or _create_connection
        self._socket = None

    def stop(self):  # pylint: disable=missing-return
        super().stop()
        sock = self._socket
        if sock is not None:
            try:
                sock.sock.shutdown(socket.SHUT_RDWR)  # wakes a recv() waiting for a frame (close() does not)
            except Exception:  # noqa: BLE001 - closing anyway
                _logger.debug("Closing the socket of %s", self.name, exc_info=True)

    def _read_until_dropped(self):
        """Read frames until the connection drops; answer why, or ``None`` if it dropped after frames
        arrived (a server closing connections from time to time is no failure to back off from)."""
        import websocket  # websocket-client

        received = False
        url = subscribe_url(self.stream_url, self.cursor)
        try:
            self._socket = self.connect(url, timeout=self.stall_seconds)
            if self.stopping.is_set():
                return None
            self.emit("connected", None)
            while not self.stopping.is_set():
                frame = self._socket.recv()
                if frame in ("", b"", None) and not self._socket.connected:
                    return None if received else "the server closed the connection"
                received = True
                self._handle(frame)
        except websocket.WebSocketTimeoutException:
            return f"no frame for {self.stall_seconds:g} seconds: reconnecting"
        except websocket.WebSocketConnectionClosedException:
            return None if received else "the server closed the connection"
        except (websocket.WebSocketException, OSError) as error:
            return f"{type(error).__name__}: {error}"
        finally:
            sock, self._socket = self._socket, None
            if sock is not None:
                try:
                    sock.close(timeout=1)
                except Exception:  # noqa: BLE001 - the connection is gone either way
                    _logger.debug("Closing %s", self.name, exc_info=True)
        return None

    def _handle(self, frame):
        try:
            event = parse_frame(frame)
        except FrameError as error:
            self._skip(error)
            return
        if event is not None:
            self.cursor = event.time_us
            self.emit("event", event)


def _create_connection(url, timeout):
    import websocket  # websocket-client

    return websocket.create_connection(url, timeout=timeout, enable_multithread=True)
