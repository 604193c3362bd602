"""A network receipt printer on loopback, as the tests' printer: it keeps every byte it is sent
(one job per connection) and answers the real-time status queries (DLE EOT 1, 2, 4) as an
Epson-compatible printer in the chosen state would. `state = "silent"` answers nothing.
"""

from __future__ import annotations

import socket
import threading

DLE_EOT = b"\x10\x04"
# The answers' fixed bits are 0x12; the rest per the ESC/POS reference for DLE EOT n.
STATES = {
    "ready": {1: 0x12, 2: 0x12, 4: 0x12},
    "paper_out": {1: 0x1A, 2: 0x32, 4: 0x72},  # offline; stopped at paper end; end sensor
    "cover_open": {1: 0x1A, 2: 0x16, 4: 0x12},  # offline; cover open
    "silent": {},
}


class PrinterEmulator:
    def __init__(self) -> None:
        self.state = "ready"
        self.jobs: list[bytes] = []  # what each connection sent, once it closed
        self._done = threading.Condition()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        return f"escpos+tcp://127.0.0.1:{self.port}"

    def wait_for_jobs(self, count: int, timeout: float = 10) -> list[bytes]:
        with self._done:
            if not self._done.wait_for(lambda: len(self.jobs) >= count, timeout):
                raise TimeoutError(f"{len(self.jobs)} of {count} jobs arrived")
            return list(self.jobs)

    def close(self) -> None:
        if self._server.fileno() != -1:
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the accept() below
            self._server.close()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:  # closed
                return
            threading.Thread(target=self._job, args=(connection,), daemon=True).start()

    def _job(self, connection: socket.socket) -> None:
        received = bytearray()
        answered = 0  # queries answered so far: each is answered once
        with connection:
            while chunk := connection.recv(4096):
                received += chunk
                queries = _queries(bytes(received))
                for n in queries[answered:]:
                    answer = STATES[self.state].get(n)
                    if answer is not None:
                        connection.sendall(bytes([answer]))
                answered = len(queries)
        with self._done:
            self.jobs.append(bytes(received))
            self._done.notify_all()


def _queries(data: bytes) -> list[int]:
    """The n of every DLE EOT n in the bytes, in order."""
    found, at = [], data.find(DLE_EOT)
    while at != -1 and at + 2 < len(data):
        found.append(data[at + 2])
        at = data.find(DLE_EOT, at + 3)
    return found
