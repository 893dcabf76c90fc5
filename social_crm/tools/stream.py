"""The engine of the ``social-stream`` command: every live source of one database, in one process.

One reader thread per stream (all the live Bluesky sources reading one Jetstream share its
connection, as do the Mastodon sources of one timeline; ``social.source._stream_channel`` says
which stream a source reads, and with which reader) hands events to the main thread, which applies
each source's filters and stores batches: at most ``batch_size`` items or every ``batch_seconds``,
whichever comes first, each batch in a transaction of its own. A source's cursor is stored in the
transaction of the batch it ends, so a restart resumes after the last stored event: nothing is
lost, nothing stored twice (events at or before a source's cursor are skipped, should the stream
replay them; the streams whose events come out of order rely on ingestion, which skips a post it
holds already).
"""
import logging
import queue
import random
import threading
import time
from datetime import datetime, timezone

from odoo import SUPERUSER_ID, api

from ..connectors import ConnectorError
from ..connectors.jetstream import PostFilter
from ..connectors.stream import lag_seconds

_logger = logging.getLogger(__name__)


class SourceState:
    """What the runner holds of one live source between batches."""

    def __init__(self, source, channel):
        self.id = source.id
        self.name = source.name
        self.stream_url = channel["key"]
        self.filter = PostFilter(source.query, source.languages, keep_all=channel.get("keep_all", False))
        self.cursor = int(source.stream_cursor) if (source.stream_cursor or "").isdigit() else None
        self.seen = self.cursor  # the position of the last event routed to this source
        self.seen_us = None  # and when the network made it
        self.cursor_us = None
        self.items, self.deletes = [], set()
        self.received = self.filtered = 0  # since the last batch
        self.dirty = False
        self.minute = dict.fromkeys(("received", "stored", "filtered", "deleted"), 0)

    def configure(self, source, channel):
        self.name = source.name
        self.filter = PostFilter(source.query, source.languages, keep_all=channel.get("keep_all", False))


class StreamGroup:
    """The sources reading one stream instance, and its reader."""

    def __init__(self, url, channel):
        self.url = url
        self.channel = channel
        self.states = {}
        self.reader = None
        self.connected = False
        self.error = None
        self.error_at = None


class StreamRunner:
    """Runs until :meth:`stop` (a signal handler calls it): see the module's docstring."""

    def __init__(self, registry, batch_size=500, batch_seconds=0.1, stall_seconds=60.0, log_seconds=60.0,
                 reload_seconds=30.0, backoff_seconds=1.0, max_backoff_seconds=60.0, queue_size=20_000,
                 source_ids=None):
        self.registry = registry
        self.source_ids = source_ids
        self.batch_size = batch_size
        self.batch_seconds = batch_seconds
        self.stall_seconds = stall_seconds
        self.log_seconds = log_seconds
        self.reload_seconds = reload_seconds
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.queue = queue.Queue(maxsize=queue_size)  # full: readers wait, the network holds the events
        self.stopping = threading.Event()
        self.groups = {}
        self.batches = []  # (items stored, deletions applied) of each batch, for tests and benchmarks
        self._pending_since = None
        self._pending_items = 0
        self._retry_at = 0.0
        self._failures = 0
        self._next_log = time.monotonic() + log_seconds
        self._next_reload = 0.0

    @property
    def states(self):
        return [state for group in self.groups.values() for state in group.states.values()]

    def stop(self):
        self.stopping.set()

    # ------------------------------------------------------------------ main loop

    def run(self):
        _logger.info("Streaming the live sources of database %s", self.registry.db_name)
        try:
            while not self.stopping.is_set():
                if time.monotonic() >= self._next_reload and not self._pending_items:
                    self._reload()
                self._step()
        finally:
            for group in self.groups.values():
                self._stop_reader(group)
            self._drain()
            for group in self.groups.values():
                group.connected = False
                for state in group.states.values():
                    state.dirty = True
            for _attempt in range(3):  # the database may be away: try a little, unstored events come again
                if self._flush():
                    break
                time.sleep(self.backoff_seconds)
            self._log_minute()
            _logger.info("Stream of database %s stopped", self.registry.db_name)

    def _step(self):
        """Route the events arriving until a batch is due, then store it."""
        now = time.monotonic()
        wait = 0.5 if self._pending_since is None else max(0.0, self._pending_since + self.batch_seconds - now)
        if now < self._retry_at:
            self.stopping.wait(min(self._retry_at - now, 0.5))  # the database is away: let the queue wait
        else:
            self._route_arrivals(wait)
            due = self._pending_items >= self.batch_size or (
                self._pending_since is not None and time.monotonic() - self._pending_since >= self.batch_seconds)
            if due:
                self._flush()
        if time.monotonic() >= self._next_log:
            self._log_minute()

    def _route_arrivals(self, wait):
        """Route what arrives within ``wait`` seconds, and what is queued, until a batch is full."""
        try:
            self._route(*self.queue.get(timeout=wait))
            while self._pending_items < self.batch_size:
                self._route(*self.queue.get_nowait())
        except queue.Empty:
            return

    def _drain(self):
        while True:
            try:
                self._route(*self.queue.get_nowait())
            except queue.Empty:
                return

    def _route(self, url, kind, payload):
        group = self.groups.get(url)
        if group is None:  # a reader stopped since
            return
        if kind == "event":
            self._route_event(group, payload)
            return
        group.connected = kind == "connected"
        if kind == "disconnected" and payload:
            group.error, group.error_at = payload, datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
            _logger.warning("Stream %s: %s", url, payload)
        for state in group.states.values():
            state.dirty = True
        self._mark_pending()

    def _route_event(self, group, event):
        for state in group.states.values():
            if event.ordered and state.seen is not None and event.position <= state.seen:
                continue  # stored already: the stream replays from the cursor it was given
            if event.position is not None:
                state.seen = event.position if state.seen is None else max(state.seen, event.position)
                state.seen_us = event.time_us
            state.dirty = True
            if event.operation == "delete":
                state.deletes.add(event.external_id)
                continue
            state.received += 1
            if state.filter.matches(event):
                state.items.append(event.item)
                self._pending_items += 1
            else:
                state.filtered += 1
        self._mark_pending()

    def _mark_pending(self):
        if self._pending_since is None:
            self._pending_since = time.monotonic()

    # ------------------------------------------------------------------ batches

    def _flush(self):
        """Store what the sources received since the last batch, in one transaction; answer whether
        it was stored (if not, it is kept and tried again after a back-off)."""
        dirty = [state for state in self.states if state.dirty]
        if not dirty:
            self._pending_since, self._pending_items = None, 0
            return True
        now = time.time()
        results = {}
        committed = []
        try:
            with self.registry.cursor() as cr:
                # the first hook after the commit: what follows it (waking up the jobs, on a connection of
                # its own) may fail when the database restarted, though the batch is stored
                cr.postcommit.add(lambda: committed.append(True))
                env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
                existing = set(env["social.source"].browse([state.id for state in dirty]).exists().ids)
                for state in dirty:
                    if state.id not in existing:
                        continue
                    group = self.groups[state.stream_url]
                    status = {
                        "stream_connected": group.connected,
                        "stream_received_count": state.received,
                        "stream_filtered_count": state.filtered,
                    }
                    if group.error_at:  # the last error stays shown, with its time, after a reconnection
                        status.update(stream_last_error=group.error, stream_last_error_at=group.error_at)
                    if state.seen:
                        status["stream_cursor"] = str(state.seen)
                    if state.seen_us:
                        status.update(
                            stream_lag=round(lag_seconds(state.seen_us, now), 1),
                            stream_last_event_at=datetime.fromtimestamp(
                                state.seen_us / 1_000_000, timezone.utc).replace(tzinfo=None, microsecond=0))
                    results[state] = env["social.source"].browse(state.id)._stream_store(
                        state.items, state.deletes, status)
        except Exception as error:  # noqa: BLE001 - the database restarting, a conflict: kept, tried again
            if committed:
                _logger.warning("Stream batch of database %s stored, but what follows its commit failed (%s: %s)",
                                self.registry.db_name, type(error).__name__, error)
                return self._flushed(dirty, results)
            self._failures += 1
            delay = min(self.max_backoff_seconds, self.backoff_seconds * 2 ** min(self._failures, 16))
            self._retry_at = time.monotonic() + delay * random.uniform(0.5, 1)
            _logger.warning("Stream batch of database %s not stored (%s: %s), trying again in %.1f s",
                            self.registry.db_name, type(error).__name__, error, delay)
            return False
        return self._flushed(dirty, results)

    def _flushed(self, dirty, results):
        """Count a stored batch (``results``: ``(created, forgotten)`` per source state) and start the next."""
        self._failures = 0
        for group in self.groups.values():
            group.error_at = None  # written
        created_total = forgotten_total = 0
        for state in dirty:
            created, forgotten = results.get(state, (0, 0))
            created_total += created
            forgotten_total += forgotten
            state.minute["received"] += state.received
            state.minute["filtered"] += state.filtered
            state.minute["stored"] += created
            state.minute["deleted"] += forgotten
            state.cursor, state.cursor_us = state.seen, state.seen_us
            state.items, state.deletes = [], set()
            state.received = state.filtered = 0
            state.dirty = False
        self.batches.append((created_total, forgotten_total))
        self._pending_since, self._pending_items = None, 0
        return True

    def _log_minute(self):
        self._next_log = time.monotonic() + self.log_seconds
        now = time.time()
        for state in self.states:
            counts = state.minute
            _logger.info("Source %s (#%s): %s received, %s stored, %s filtered out, %s deleted, lag %s",
                         state.name, state.id, counts["received"], counts["stored"], counts["filtered"],
                         counts["deleted"], f"{lag_seconds(state.cursor_us, now):.1f} s" if state.cursor_us else "-")
            state.minute = dict.fromkeys(counts, 0)

    # ------------------------------------------------------------------ sources and readers

    def _reload(self):
        """Follow the sources' configuration: new live sources join, archived ones leave."""
        self._next_reload = time.monotonic() + self.reload_seconds
        refused = {}
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                Source = env["social.source"]
                sources = Source._stream_sources(self.source_ids)
                wanted = {}
                for source in sources:
                    try:
                        channel = source._stream_channel()
                    except ConnectorError as error:
                        refused[source.id] = str(error)
                        _logger.warning("Source %s (#%s) cannot stream: %s", source.name, source.id, error)
                        continue
                    wanted[source.id] = (source, channel)
                for source_id, message in refused.items():
                    source = Source.browse(source_id)
                    if source.stream_last_error != message:
                        source.write({"stream_last_error": message, "stream_connected": False,
                                      "stream_last_error_at": datetime.now(timezone.utc).replace(tzinfo=None)})
                self._apply_sources(wanted)
        except Exception:  # noqa: BLE001 - the database may be away: the sources known go on streaming
            _logger.warning("Could not read the live sources of %s", self.registry.db_name, exc_info=True)

    def _apply_sources(self, wanted):
        for url, group in list(self.groups.items()):
            for source_id, state in list(group.states.items()):
                source, channel = wanted.get(source_id, (None, None))
                if source is None or channel["key"] != url:
                    del group.states[source_id]
                    _logger.info("Source %s (#%s) no longer streams", state.name, source_id)
                else:
                    state.configure(source, channel)
            if not group.states:
                self._stop_reader(group)
                del self.groups[url]
        for source, channel in wanted.values():
            group = self.groups.setdefault(channel["key"], StreamGroup(channel["key"], channel))
            if source.id not in group.states:
                group.states[source.id] = SourceState(source, channel)
                _logger.info("Source %s (#%s) streams from %s", source.name, source.id, channel["shown"])
        for group in self.groups.values():
            if group.reader is None:
                self._start_reader(group)

    def _start_reader(self, group):
        cursors = [state.cursor for state in group.states.values() if state.cursor]
        channel = group.channel
        group.reader = channel["reader"](
            channel["target"], lambda kind, payload, url=group.url: self._emit(url, kind, payload),
            cursor=min(cursors) if cursors else None, stall_seconds=self.stall_seconds,
            backoff_seconds=self.backoff_seconds, max_backoff_seconds=self.max_backoff_seconds,
            **channel.get("options", {}))
        group.reader.start()

    def _stop_reader(self, group):
        if group.reader is not None:
            group.reader.stop()
            group.reader.join(timeout=5)
            group.reader = None

    def _emit(self, url, kind, payload):
        """Called by the readers: wait while the queue is full (until the runner stops)."""
        while not self.stopping.is_set():
            try:
                self.queue.put((url, kind, payload), timeout=0.5)
                return
            except queue.Full:
                continue
