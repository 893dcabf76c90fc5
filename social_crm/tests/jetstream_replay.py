"""A Jetstream instance on 127.0.0.1 (the ``websockets`` package) replaying frames given by a test
or a benchmark, with the faults of real instances on demand."""
import json
import threading
import time
from urllib.parse import parse_qsl, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import serve


class JetstreamReplay:
    """Sends its frames to each client from the client's ``cursor`` (events of that ``time_us``
    included, as Jetstream does), then waits for more frames.

    :param close_every: close each connection after sending this many frames
    :param stall_after: on the first connection, stop sending after this many frames, socket open
    :param pace: seconds between two frames (0: as fast as the socket takes them)
    """

    def __init__(self, close_every=None, stall_after=None, pace=0.0):
        self.close_every = close_every
        self.stall_after = stall_after
        self.pace = pace
        self.frames = []  # (time_us or None, text)
        self.connections = []  # the query of each connection, as a dict
        self.sent_at = {}  # time_us -> time.time() when first sent (benchmarks)
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._server = serve(self._handle, "127.0.0.1", 0, max_size=None, compression=None)
        self.port = self._server.socket.getsockname()[1]
        self.url = f"ws://127.0.0.1:{self.port}/subscribe"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="jetstream replay")

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
        self._thread.join(timeout=10)

    def add(self, *events):
        """Queue events (dicts, sent as JSON) or raw frames (strings or bytes, sent as they are)."""
        with self._changed:
            for event in events:
                if isinstance(event, dict):
                    self.frames.append((event.get("time_us"), json.dumps(event)))
                else:
                    self.frames.append((None, event))
            self._changed.notify_all()

    def _handle(self, connection):
        query = dict(parse_qsl(urlsplit(connection.request.path).query))
        with self._changed:
            self.connections.append(query)
            number = len(self.connections)
        cursor = int(query["cursor"]) if query.get("cursor", "").isdigit() else 0
        index = sent = 0
        try:
            while not self._stopping.is_set():
                with self._changed:
                    while index >= len(self.frames) and not self._stopping.is_set():
                        self._changed.wait(0.2)
                    pending = self.frames[index:]
                for time_us, frame in pending:
                    index += 1
                    if time_us is not None and time_us < cursor:
                        continue
                    if self.stall_after is not None and number == 1 and sent >= self.stall_after:
                        self._idle(connection)
                        return
                    connection.send(frame)
                    sent += 1
                    if time_us is not None:
                        self.sent_at.setdefault(time_us, time.time())
                    if self.close_every and sent % self.close_every == 0:
                        connection.close()
                        return
                    if self.pace:
                        self._stopping.wait(self.pace)
        except ConnectionClosed:
            return

    def _idle(self, connection):
        """Keep the socket open and silent until the client leaves."""
        while not self._stopping.is_set():
            try:
                connection.recv(timeout=0.2)
            except TimeoutError:
                continue
            except ConnectionClosed:
                return
