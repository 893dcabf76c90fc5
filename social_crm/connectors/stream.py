"""What the readers of live streams share (Jetstream, Mastodon's streaming API): the event they hand
to the ``social-stream`` command, and the thread that reads until stopped, reconnecting with back-off.
"""
import logging
import random
import threading
import time
from dataclasses import dataclass, field

_logger = logging.getLogger(__name__)


class FrameError(ValueError):
    """A frame that is not an event of the stream: logged and skipped, never fatal to the stream."""


@dataclass
class StreamEvent:
    """A post created (``item`` in the webhook format) or deleted (``external_id`` only).

    ``time_us`` is when the network made the event (the lag is measured from it); ``position`` is
    where the stream stands after it, the cursor stored to resume from (Jetstream: ``time_us``
    itself; Mastodon: the status or notification id; none for a deletion, which has no place in a
    timeline). ``ordered``: events come in the order of their positions, so an event at or
    before a source's stored position was stored already (a replay from the cursor); Mastodon's
    are not ordered (statuses of other instances arrive late), so ingestion skips duplicates.
    """

    operation: str  # "create" or "delete"
    time_us: int
    external_id: str
    item: dict = None
    tags: frozenset = field(default_factory=frozenset)
    langs: tuple = ()
    position: int = None
    ordered: bool = True

    def __post_init__(self):
        if self.position is None and self.ordered:
            self.position = self.time_us


class StreamReader(threading.Thread):
    """Reads one stream until stopped, reconnecting after any interruption.

    ``emit(kind, payload)`` receives ``("event", StreamEvent)``, ``("connected", None)`` and
    ``("disconnected", error message)``. After a drop it resumes from ``cursor`` (the position of the
    last event received, or the one given before the first), waits ``backoff(attempt)`` between
    attempts, and takes a connection silent for ``stall_seconds`` for a dead one. Subclasses read
    one connection in :meth:`_read_until_dropped`.
    """

    def __init__(self, stream_url, emit, cursor=None, stall_seconds=60.0, backoff_seconds=1.0,
                 max_backoff_seconds=60.0, name=None):
        super().__init__(name=name, daemon=True)
        self.stream_url = stream_url
        self.emit = emit
        self.cursor = cursor
        self.stall_seconds = stall_seconds
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.stopping = threading.Event()
        self.skipped_frames = 0

    def backoff(self, attempt):
        """Exponential back-off with jitter: readers of one instance do not come back all at once."""
        return min(self.max_backoff_seconds, self.backoff_seconds * 2 ** min(attempt, 16)) * random.uniform(0.5, 1)

    def stop(self):
        self.stopping.set()

    def run(self):
        attempt = 0
        while not self.stopping.is_set():
            error = self._read_until_dropped()
            if error is None:  # received frames before the drop: come back at once, then back off
                attempt = 0
            if self.stopping.is_set():
                break
            self.emit("disconnected", error)
            self.stopping.wait(self.backoff(attempt) if error is not None else 0)
            attempt += 1

    def _read_until_dropped(self):
        """Read one connection until it drops; answer why, or ``None`` if it dropped after frames
        arrived (a server closing connections from time to time is no failure to back off from)."""
        raise NotImplementedError

    def _skip(self, error):
        self.skipped_frames += 1
        _logger.warning("%s: skipped %s", self.name, error)


def lag_seconds(time_us, now=None):
    """How far behind the network an event of ``time_us`` is (never negative)."""
    return max(0.0, (now or time.time()) - time_us / 1_000_000)
