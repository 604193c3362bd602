"""The live channel to the desk, never on the GUI thread: a long poll `down` that starts again
as soon as it answers, and `up` with whatever waits (one request in flight; a screen waiting is
replaced by a newer one). A link that keeps failing, or a call the hub no longer knows, is
reported once as `lost`."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QObject, QThreadPool, QTimer, Signal

from kiosk.backend import Backend, BackendError, NotFound, Unavailable
from kiosk.backend.http import LONG_POLL_S
from kiosk.remote.session import LinkWatch, Outgoing
from ui.tasks import run_in_background

RETRY_MS = 1000  # a failed poll or send is tried again this soon
# The long polls wait by design: a pool of their own, which shutdown does not wait for.
_long_polls = QThreadPool()
_long_polls.setMaxThreadCount(4)


def wait_for_long_polls(timeout_ms: int) -> bool:
    """For shutdown: a session that ended is answered at once by the hub (and the demo relay
    within a second); a dead link is not waited for longer than `timeout_ms`."""
    return _long_polls.waitForDone(timeout_ms)


class ChannelLink(QObject):
    received = Signal(dict)  # a desk message, in order, on the GUI thread
    lost = Signal()
    wake = Signal()  # something was queued (from any thread): send it

    def __init__(self, backend: Backend, request_id: str, outgoing: Outgoing,
                 watch: LinkWatch) -> None:
        super().__init__()
        self.backend = backend
        self.request_id = request_id
        self.outgoing = outgoing
        self.watch = watch
        self.after = 0  # the last desk message seen
        self.stopped = False
        self._sending = False
        self._last = False  # the session ended: only its last words are still to go
        self._polling = QElapsedTimer()  # how long the poll in flight has been waiting
        self.wake.connect(self.flush)
        self.watchdog = QTimer(self)  # a poll that hangs on a dead link is not waited out
        self.watchdog.setInterval(1000)
        self.watchdog.timeout.connect(self._check_hung)

    def start(self) -> None:
        self.watchdog.start()
        self._poll()

    def stop(self) -> None:
        self.stopped = True
        self.watchdog.stop()

    def _poll(self) -> None:
        if self.stopped:
            return
        backend, request_id, after = self.backend, self.request_id, self.after
        self._polling.start()
        run_in_background(lambda: backend.remote_down(request_id, after), self._got,
                          self._poll_failed, pool=_long_polls)

    def _got(self, answer: dict) -> None:
        self._polling.invalidate()
        if self.stopped:
            return
        self.watch.ok()
        for message in answer.get("messages") or []:
            seq = message.get("seq")
            if isinstance(seq, int):
                if seq <= self.after:
                    continue  # already seen (a poll answered twice over a flaky link)
                self.after = seq
            self.received.emit(message)
            if self.stopped:  # the message ended the session
                return
        if answer.get("state") in ("ended", "closed"):
            return self._lose()
        self._poll()

    def _poll_failed(self, problem: Exception) -> None:
        self._polling.invalidate()
        if self.stopped:
            return
        if self.watch.failed(gone=isinstance(problem, NotFound)):
            return self._lose()
        QTimer.singleShot(RETRY_MS, self, self._poll)

    def _check_hung(self) -> None:
        """A poll still out long after the hub would have answered: the link is dead."""
        if self._polling.isValid() and \
                self._polling.elapsed() / 1000 > LONG_POLL_S + self.watch.lost_after:
            self._lose()

    def _lose(self) -> None:
        if not self.stopped:
            self.stop()
            self.lost.emit()

    def flush(self) -> None:
        if self.stopped or self._sending or not len(self.outgoing):
            return
        messages = self.outgoing.take()
        self._sending = True
        backend, request_id = self.backend, self.request_id
        run_in_background(lambda: backend.remote_up(request_id, messages), self._sent,
                          lambda problem: self._unsent(messages, problem))

    def send_last(self) -> None:
        """The session ended: what waits (its `end` last) goes after any send still on its
        way, never beside it (the hub would close the session before the rest arrived)."""
        self.stop()
        self._last = True
        if not self._sending:
            self._send_rest()

    def _send_rest(self) -> None:
        messages = self.outgoing.take()
        if messages:
            backend, request_id = self.backend, self.request_id
            run_in_background(lambda: backend.remote_up(request_id, messages),
                              lambda _n: None, lambda _p: None)

    def _sent(self, _accepted: int) -> None:
        self._sending = False
        if self._last:
            return self._send_rest()
        self.flush()

    def _unsent(self, messages: list[dict], problem: Exception) -> None:
        self._sending = False
        if self._last:
            return self._send_rest()
        if self.stopped:
            return
        if isinstance(problem, NotFound):
            return self._lose()
        if isinstance(problem, Unavailable):  # the link hiccuped: again soon, newest first
            self.outgoing.put_back(messages)
            QTimer.singleShot(RETRY_MS, self, self.flush)
        elif isinstance(problem, BackendError):
            self.flush()  # refused (e.g. a screen before consent): dropped, never retried
