"""One remote session on the kiosk: a clerk at a desk took the citizen's help call.

It keeps the consent (see the screen; see personal details), writes every remote act to the
tamper-evident audit log (the clerk and desk, the service and step or control id: never a
value, never a sentence), queues the messages for the desk (at most one screen waiting: a newer
replaces an older not yet sent), and remembers what the clerk did for the citizen's slip and
the submission ("helped remotely by <clerk>, <desk>")."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.assist.audit import MAX_DETAIL_CHARS, AuditLog
from kiosk.i18n import tr
from kiosk.remote import desk
from kiosk.remote.desk import Refused

ENDED_BY = ("citizen", "clerk", "visit", "link")
LINK_LOST_AFTER_S = 15.0  # the long poll failing this long: the link is gone


def fact(text: str) -> str:
    """A desk's name or a control id as the audit log takes it: short, no run of digits."""
    text = re.sub(r"\d{4,}", lambda run: run.group()[:3] + "…", " ".join(text.split()))
    return text[:MAX_DETAIL_CHARS]


class Outgoing:
    """Messages waiting for the desk, safe from any thread. A screen replaces a screen still
    waiting (the desk wants the newest); everything else keeps its order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[dict] = []

    def put(self, message: dict) -> None:
        with self._lock:
            if message.get("kind") == "screen":
                self._waiting = [m for m in self._waiting if m.get("kind") != "screen"]
            self._waiting.append(message)

    def take(self) -> list[dict]:
        with self._lock:
            taken, self._waiting = self._waiting, []
            return taken

    def put_back(self, messages: list[dict]) -> None:
        """Not delivered (the link hiccuped): first in line again, unless a newer screen
        came meanwhile."""
        with self._lock:
            newer_screen = any(m.get("kind") == "screen" for m in self._waiting)
            kept = [m for m in messages if not (newer_screen and m.get("kind") == "screen")]
            self._waiting = kept + self._waiting

    def __len__(self) -> int:
        with self._lock:
            return len(self._waiting)


class LinkWatch:
    """Whether the channel still works: the long poll failing for longer than
    LINK_LOST_AFTER_S, or the hub saying the call is gone (404/410)."""

    def __init__(self, lost_after: float = LINK_LOST_AFTER_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.lost_after = lost_after
        self.clock = clock
        self.last_ok = clock()

    def ok(self) -> None:
        self.last_ok = self.clock()

    def failed(self, gone: bool = False) -> bool:
        """A failed poll; True when the link is to be given up."""
        return gone or self.clock() - self.last_ok > self.lost_after


@dataclass
class RemoteSession:
    request_id: str
    clerk: str
    desk_name: str
    audit: AuditLog
    kiosk_id: str
    service_id: Callable[[], str] = lambda: ""
    sharing: bool = False  # the citizen let the clerk see the screen
    personal: bool = False  # ... and their details
    asked: bool = False
    ended_by: str | None = None
    outgoing: Outgoing = field(default_factory=Outgoing)
    done_acts: list[tuple[str, str]] = field(default_factory=list)  # (action, subject)
    _shared_once: bool = False

    @property
    def active(self) -> bool:
        return self.ended_by is None

    @property
    def helped(self) -> bool:
        """The clerk saw the screen: the submission says who helped."""
        return any(action == "consent_given" for action, _ in self.done_acts)

    def _log(self, action: str, **detail: Any) -> None:
        self.audit.append(f"remote_{action}", self.kiosk_id, ("remote:" + self.clerk)[:64],
                          {"desk": fact(self.desk_name), "service": fact(self.service_id()),
                           **detail})

    def _act(self, action: str, subject: str = "", **detail: Any) -> None:
        self._log(action, **detail)
        self.done_acts.append((action, subject))

    # consent
    def taken(self) -> None:
        self._log("taken")

    def ask_consent(self) -> None:
        self.asked = True
        self._log("consent_asked")

    def answer_consent(self, see: bool) -> None:
        """Refused: the desk learns only that (the hub then drops any screen)."""
        self.asked = False
        self.sharing = bool(see)
        self._act("consent_given" if see else "consent_refused")
        self.outgoing.put({"kind": "consent", "see": self.sharing, "personal": False})

    def show_details(self, on: bool) -> None:
        """"Let <clerk> see my details", or no longer."""
        if not self.sharing or on == self.personal:
            return
        self.personal = on
        self._act("details_shown" if on else "details_hidden")
        self.outgoing.put({"kind": "consent", "see": True, "personal": on})

    # what the desk sees
    def screen(self, model: dict) -> bool:
        """Queued for the desk when the citizen allowed it; False (nothing queued) else."""
        if not self.sharing or not self.active:
            return False
        if not self._shared_once:
            self._shared_once = True
            self._log("screen_shared")
        self.outgoing.put({"kind": "screen", "model": model})
        return True

    # what the desk asks
    def receive(self, message: dict, languages: list[str], lang: str) -> desk.Command | None:
        """The command to carry out, or None (refused: the desk is told why in plain words,
        in the kiosk's language `lang`)."""
        try:
            return desk.parse(message, languages, self.sharing)
        except Refused as refusal:
            self.done(message, False, tr(lang, refusal.key))
            return None

    def done(self, message: dict, ok: bool, words: str) -> None:
        """The outcome of a desk message, in plain words (the desk page shows them)."""
        seq = message.get("seq") if isinstance(message, dict) else None
        ref = seq if isinstance(seq, int) and not isinstance(seq, bool) else 0
        self.outgoing.put({"kind": "done", "ref": ref, "ok": ok,
                           "message": " ".join(words.split())})  # one line

    def pointed(self, target: str) -> None:
        self._act("pointed", target, target=fact(target))

    def said(self, words: str) -> None:
        self._act("said", "", length=len(words))

    def filled(self, step_id: str, ok: bool) -> None:
        if ok:
            self._act("field_filled", step_id, step=fact(step_id))
        else:
            self._log("fill_refused", step=fact(step_id))

    def language_switched(self, lang: str) -> None:
        self._act("language_switched", lang, language=lang)

    def text_size(self, size: str) -> None:
        self._act("text_size", size, size=size)

    def timeout_paused(self, on: bool) -> None:
        self._act("timeout_paused", "", on=on)

    def call(self, what: str) -> None:
        """The voice part's "started" / "ended"."""
        if what in ("started", "ended"):
            self._act(f"call_{what}")

    def end(self, by: str) -> None:
        """Ends once; the desk is told unless it ended it (or the link is gone)."""
        if by not in ENDED_BY:
            raise ValueError(f"ended by one of {', '.join(ENDED_BY)}")
        if self.ended_by is not None:
            return
        self.ended_by = by
        self.sharing = self.personal = False
        self._act("ended", by, by=by)
        if by in ("citizen", "visit"):
            self.outgoing.put({"kind": "end", "by": by})

    # on paper
    def helped_by(self) -> str:
        return f"{self.clerk}, {self.desk_name}" if self.desk_name else self.clerk

    def submission_extra(self) -> dict:
        if not self.helped:
            return {}
        return {"remote_helper": {"clerk": self.clerk, "desk": self.desk_name}}
