"""Live speech as a stream: libespeak-ng in a child process hands back audio in short chunks
while it is still synthesising, so the first words can play before the sentence is done.

pyttsx3 (synth.py) writes whole files only, so the live path uses espeak-ng's own interface:
its synchronous mode with a synthesis callback, through ctypes. The child is a small stdlib-only
script (started with `python -I -S`, quick to start) that is started when the kiosk starts
and kept warm; a hung or dead child is killed and started again on the next request.

Protocol. Parent -> child: one JSON line per request {"text", "voice", "rate", "volume"}, or
"cancel" while one is being synthesised. Child -> parent: frames of one kind byte and a
little-endian uint32 length, then the payload: b"r" ready, b"a" audio (signed 16-bit mono
PCM at RATE), b"e" end of the request, b"x" a failure in plain words.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable

RATE = 22050  # espeak-ng's sample rate; the cues use the same
CHUNK_MS = 50  # audio per callback: the first chunk is ready within a millisecond or two
TIMEOUT_S = 20
_HEADER = struct.Struct("<cI")

# libespeak-ng (speak_lib.h)
_SYNCHRONOUS = 2
_DONT_EXIT = 0x8000
_CHARS_UTF8, _ENDPAUSE = 1, 0x1000
_RATE, _VOLUME = 1, 2


class EngineError(RuntimeError):
    pass


class _Died(EngineError):
    """The child ended (it may have been killed, or have crashed, since the last request)."""


# --- the child ---------------------------------------------------------------------------


class _Child:
    def __init__(self) -> None:
        import ctypes  # the child's alone: the kiosk's own process does not load it

        callback_type = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short),
                                         ctypes.c_int, ctypes.c_void_p)
        self.string_at = ctypes.string_at
        self.lib = lib = ctypes.CDLL("libespeak-ng.so.1")
        c_int, c_uint = ctypes.c_int, ctypes.c_uint
        lib.espeak_Initialize.argtypes = [c_int, c_int, ctypes.c_char_p, c_int]
        lib.espeak_SetSynthCallback.argtypes = [callback_type]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [c_int, c_int, c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, c_uint, c_int, c_uint,
                                     c_uint, ctypes.POINTER(c_uint), ctypes.c_void_p]
        if self.lib.espeak_Initialize(_SYNCHRONOUS, CHUNK_MS, None, _DONT_EXIT) != RATE:
            raise RuntimeError("espeak-ng did not start")
        self.callback = callback_type(self._chunk)  # kept: ctypes must not free it
        self.lib.espeak_SetSynthCallback(self.callback)
        self.pending = bytearray()  # bytes read from stdin, not yet a whole line
        self.voice = ""
        self.gone = False

    def send(self, kind: bytes, payload: bytes = b"") -> None:
        os.write(1, _HEADER.pack(kind, len(payload)) + payload)

    def line(self, wait: bool) -> bytes | None:
        while b"\n" not in self.pending:
            if not wait and not select.select([0], [], [], 0)[0]:
                return None
            block = os.read(0, 65536)
            if not block:
                raise EOFError
            self.pending += block
        line, _, rest = bytes(self.pending).partition(b"\n")
        self.pending = bytearray(rest)
        return line

    def _chunk(self, wav, count: int, _events) -> int:
        try:
            if count > 0:
                self.send(b"a", self.string_at(wav, count * 2))
            return 1 if self.line(wait=False) == b"cancel" else 0  # 1 stops the synthesis
        except (EOFError, OSError):  # the parent has gone: stop, and end after this request
            self.gone = True
            return 1

    def synthesise(self, request: dict) -> None:
        if request["voice"] != self.voice:
            if self.lib.espeak_SetVoiceByName(request["voice"].encode()) != 0:
                self.send(b"x", f"there is no voice {request['voice']}".encode())
                return
            self.voice = request["voice"]
        self.lib.espeak_SetParameter(_RATE, int(request["rate"]), 0)
        self.lib.espeak_SetParameter(_VOLUME, round(float(request["volume"]) * 100), 0)
        text = request["text"].encode()
        self.lib.espeak_Synth(text, len(text) + 1, 0, 1, 0, _CHARS_UTF8 | _ENDPAUSE, None, None)
        if self.gone:
            raise EOFError
        self.send(b"e")

    def serve(self, voices: Iterable[str]) -> None:
        for voice in voices:  # read each voice's files once now, not on a first sentence
            self.lib.espeak_SetVoiceByName(voice.encode())
        self.send(b"r")
        while True:
            line = self.line(wait=True)
            if line and line != b"cancel":  # a cancel that came after the end is stale
                self.synthesise(json.loads(line))


def _main() -> None:
    try:
        child = _Child()
    except (OSError, RuntimeError, AttributeError) as problem:
        os.write(1, _HEADER.pack(b"x", 0))
        sys.stderr.write(f"{problem}\n")
        return
    with contextlib.suppress(EOFError, BrokenPipeError):
        child.serve(sys.argv[1:])


# --- the parent --------------------------------------------------------------------------


class Engine:
    """Thread-safe (one request at a time). `start()` warms it; `stream()` calls back with
    each chunk as it comes and stops the synthesis as soon as the callback says so."""

    def __init__(self, voices: Iterable[str] = ()) -> None:
        self.voices = list(voices)
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._buffer = bytearray()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        with self._lock:
            self._ensure()

    def _ensure(self) -> None:
        if self._process is not None and self._process.poll() is None:
            return
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-S", __file__, *self.voices], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self._buffer.clear()
        try:
            kind, _ = self._frame(time.monotonic() + TIMEOUT_S)
        except EngineError:
            kind = b""
        if kind != b"r":
            self._kill()
            raise EngineError("the speech engine did not start")

    def stream(self, text: str, voice: str, rate: int, volume: float,
               chunk: Callable[[bytes], bool]) -> bool:
        """Synthesises `text`, handing each piece of audio to `chunk` as soon as it is made;
        `chunk` returns False to stop. Returns True if the whole text was synthesised."""
        request = json.dumps({"text": text, "voice": voice, "rate": rate, "volume": volume})
        with self._lock:
            try:
                return self._request(request.encode(), chunk)
            except _Died:  # before any sound: a child that had died meanwhile; once more
                return self._request(request.encode(), chunk)

    def _request(self, request: bytes, chunk: Callable[[bytes], bool]) -> bool:
        self._ensure()
        wanted, heard = True, False
        try:
            os.write(self._process.stdin.fileno(), request + b"\n")
            while True:
                kind, payload = self._frame(time.monotonic() + TIMEOUT_S)
                if kind == b"e":
                    return wanted
                if kind == b"x":
                    raise EngineError(payload.decode(errors="replace"))
                heard = True
                if wanted and not chunk(payload):
                    wanted = False
                    os.write(self._process.stdin.fileno(), b"cancel\n")
        except (OSError, _Died) as problem:
            self._kill()
            if heard:
                raise EngineError("the speech engine stopped") from problem
            raise _Died from problem

    def _frame(self, deadline: float) -> tuple[bytes, bytes]:
        head = self._read(_HEADER.size, deadline)
        kind, length = _HEADER.unpack(head)
        return kind, self._read(length, deadline)

    def _read(self, size: int, deadline: float) -> bytes:
        out = self._process.stdout.fileno()
        while len(self._buffer) < size:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([out], [], [], left)[0]:
                self._kill()
                raise EngineError("the speech engine stopped answering")
            block = os.read(out, 65536)
            if not block:
                raise _Died
            self._buffer += block
        taken = bytes(self._buffer[:size])
        del self._buffer[:size]
        return taken

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            for pipe in (self._process.stdin, self._process.stdout):
                with contextlib.suppress(OSError):
                    pipe.close()
        self._process = None

    def close(self) -> None:
        with self._lock:
            self._kill()


if __name__ == "__main__":
    _main()
