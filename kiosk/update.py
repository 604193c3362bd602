"""The kiosk's side of a software update: fetch a release the hub offers, check it, and hand it
to the updater (kiosk/updater.py, run as root by deploy/kiosk-update.path) between visits.

The spool folder (env KIOSK_UPDATES; the appliance's units set /var/lib/assisted-kiosk/updates)
is where the two meet, both sides writing files whole (rename) so neither reads half of one:

    download/   a wheel on its way from the hub (the kiosk's)
    ready/      checked (hash, signature), waiting for the welcome screen (the kiosk's)
    install/    handed over: the updater takes it, installs it, and starts it
    started     this kiosk's version, written when its first screen is up (the start check)
    last.json   what happened to the last release: installed, rolled back, refused...

Without KIOSK_UPDATES (a kiosk run from a checkout, the demo) there are no updates.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import requests

from kiosk import release
from kiosk.version import version as installed_version

log = logging.getLogger(__name__)

SPOOL_ENV = "KIOSK_UPDATES"
DOWNLOAD_TIMEOUT = (3.05, 60.0)  # connect, and between two chunks
CHUNK = 64 * 1024
# last.json states: what the admin screen and the hub hear about
INSTALLED, ROLLED_BACK, REFUSED, FAILED, STARTING = (
    "installed", "rolled_back", "refused", "install_failed", "starting")
PROBLEMS = (ROLLED_BACK, REFUSED, FAILED)


@dataclass(frozen=True)
class Spool:
    root: Path

    @property
    def download(self) -> Path:
        return self.root / "download"

    @property
    def ready(self) -> Path:
        return self.root / "ready"

    @property
    def install(self) -> Path:
        return self.root / "install"

    @property
    def started(self) -> Path:
        return self.root / "started"

    @property
    def last(self) -> Path:
        return self.root / "last.json"

    def make(self) -> Spool:
        for folder in (self.root, self.download, self.ready, self.install):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self

    def write(self, path: Path, text: str) -> None:
        """Whole or not at all; a link planted at `path` is replaced, never followed."""
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def outcome(self) -> dict:
        """last.json ({} when there is none, or it cannot be read)."""
        try:
            found = json.loads(self.last.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return found if isinstance(found, dict) else {}

    def record(self, state: str, version: str, reason: str = "", detail: str = "",
               **extra: str) -> None:
        """Keep what happened to `version`; `reason` is an i18n key's last part (update.json),
        `detail` plain English for logs and the hub."""
        entry = {"state": state, "version": version, "reason": reason, "detail": detail,
                 "at": datetime.now(UTC).isoformat(timespec="seconds"), **extra}
        self.write(self.last, json.dumps(entry, ensure_ascii=False) + "\n")
        (log.warning if state in PROBLEMS else log.info)(
            "update %s: %s %s", version, state, detail)


def spool_from_env() -> Spool | None:
    folder = os.environ.get(SPOOL_ENV)
    return Spool(Path(folder)) if folder else None


def mark_started(spool: Spool | None = None) -> None:
    """Called once the kiosk's first screen is up: the updater's start check waits for it."""
    spool = spool or spool_from_env()
    if spool is None:
        return
    try:
        spool.write(spool.started, installed_version() + "\n")
    except OSError as problem:  # the updater then rolls back: say why in the journal
        log.warning("could not write the start mark in %s: %s", spool.root, problem)


@dataclass(frozen=True)
class Offer:
    version: str
    sha256: str
    url: str  # the hub's path; the kiosk's token goes in the header, never in it
    signature: str

    @classmethod
    def from_answer(cls, answer: object) -> Offer | None:
        update = answer.get("update") if isinstance(answer, dict) else None
        if not isinstance(update, dict):
            return None
        fields = [update.get(name) for name in ("version", "sha256", "url", "signature")]
        if not all(isinstance(value, str) and value for value in fields):
            return None
        offer = cls(*fields)
        return offer if offer.url.startswith("/v1/") else None  # only from the kiosk's hub


class Updates:
    """Fetches what the hub offers (a background thread), checks it, and hands it over."""

    def __init__(self, spool: Spool, running: str, keys_folder: Path | None = None) -> None:
        self.spool = spool
        try:
            spool.make()
        except OSError as problem:  # the kiosk runs on without updates; Diagnostics says so
            log.warning("no updates: %s cannot be used (%s)", spool.root,
                        problem.strerror or problem)
            running = ""  # nothing is newer than that: nothing is fetched
        self.running = running
        self.keys_folder = keys_folder
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def wanted(self, offer: Offer) -> bool:
        """A newer version not yet here, nor refused or rolled back before."""
        if not release.newer(offer.version, self.running):
            return False
        last = self.spool.outcome()
        if last.get("version") == offer.version and last.get("state") in PROBLEMS:
            return False  # the hub keeps offering it; the heartbeat keeps saying why not
        name = f"assisted_kiosk-{offer.version}-py3-none-any.whl"
        return not any((folder / name).exists() for folder in (self.spool.ready,
                                                                 self.spool.install))

    def consider(self, answer: object, base_url: str, headers: dict) -> threading.Thread | None:
        """From a heartbeat's answer (off the GUI thread): the download started, if any."""
        offer = Offer.from_answer(answer)
        with self._lock:
            if offer is None or not self.wanted(offer) or \
                    (self._thread is not None and self._thread.is_alive()):
                return None
            self._thread = threading.Thread(target=self.fetch, name="update-download",
                                            args=(offer, base_url, dict(headers)), daemon=True)
            self._thread.start()
            return self._thread

    def wait(self, timeout: float | None = None) -> None:
        """Until the download under way, if any, has ended."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def fetch(self, offer: Offer, base_url: str, headers: dict) -> bool:
        """Download, check the hash and the signature; ready/ holds it if both pass."""
        try:
            release.version_of(name := f"assisted_kiosk-{offer.version}-py3-none-any.whl")
            data = self._download(f"{base_url.rstrip('/')}{offer.url}", headers)
            if data is None:
                return False  # the link: the next heartbeat's offer tries again
            release.check(data, offer.signature, release.trusted_keys(self.keys_folder),
                          offer.sha256)
        except release.Refused as refusal:
            self.spool.record(REFUSED, offer.version, refusal.reason, str(refusal))
            return False
        try:
            self.spool.write(self.spool.ready / (name + ".sig"), offer.signature + "\n")
            partial = self.spool.download / name
            partial.write_bytes(data)
            os.replace(partial, self.spool.ready / name)
        except OSError as problem:  # a full disk: the next heartbeat's offer tries again
            log.warning("the checked release could not be kept: %s", problem.strerror or problem)
            return False
        log.info("update %s downloaded and checked; installed between visits", offer.version)
        return True

    @staticmethod
    def _download(url: str, headers: dict) -> bytes | None:
        chunks, size = [], 0
        try:
            with requests.get(url, headers=headers, stream=True,
                              timeout=DOWNLOAD_TIMEOUT) as response:
                if response.status_code != 200:
                    log.warning("the hub answered HTTP %s for the offered release",
                                response.status_code)
                    return None
                for chunk in response.iter_content(CHUNK):
                    size += len(chunk)
                    if size > release.MAX_WHEEL_BYTES:
                        raise release.Refused("size", "the offered wheel is too large")
                    chunks.append(chunk)
        except requests.RequestException as problem:
            log.warning("the offered release was not downloaded: %s", type(problem).__name__)
            return None
        return b"".join(chunks)

    def ready(self) -> bool:
        return any(self.spool.ready.glob("*.whl"))

    def hand_over(self) -> str:
        """Between visits only (the caller knows): the checked wheel goes to the updater, which
        restarts the kiosk with it. The version handed over, or ""."""
        handed = ""
        for wheel in sorted(self.spool.ready.glob("*.whl")):
            signature = wheel.with_name(wheel.name + ".sig")
            if not signature.exists():
                continue
            os.replace(signature, self.spool.install / signature.name)  # the wheel last: the
            os.replace(wheel, self.spool.install / wheel.name)  # updater starts on it
            handed = release.version_of(wheel.name)
        if handed:
            log.info("update %s handed to the updater", handed)
        return handed

    def report(self) -> dict[str, str]:
        """What the heartbeat adds: the last update's problem in plain words, if any."""
        last = self.spool.outcome()
        if last.get("state") not in PROBLEMS:
            return {}
        return {"update_problem": f"{last.get('version', '?')}: {last.get('state')}: "
                                  f"{last.get('detail', '')}"[:300]}


def status(spool: Spool, keys_folder: Path | None = None) -> tuple[bool, str, dict[str, str]]:
    """(ok, outcome, params) for the Diagnostics tab and `diagnose`: diag.update.<outcome> in
    i18n/*/update.json says it in plain words."""
    if not release.trusted_keys(keys_folder):
        return False, "no_key", {"folder": str(keys_folder or release.keys_dir())}
    if not os.access(spool.install, os.W_OK):  # the kiosk could not hand anything over
        return False, "folder", {"folder": str(spool.root)}
    waiting = sorted(spool.ready.glob("*.whl")) + sorted(spool.install.glob("*.whl"))
    if waiting:
        return True, "waiting", {"version": release.version_of(waiting[-1].name)}
    last = spool.outcome()
    state = last.get("state")
    params = {"version": str(last.get("version", "")), "when": _local(last.get("at")),
              "why": str(last.get("detail", ""))}
    if state == REFUSED:
        reason = last.get("reason")
        return False, f"refused_{reason if reason in REFUSALS else 'signature'}", params
    if state in (INSTALLED, ROLLED_BACK, FAILED, STARTING):
        return state in (INSTALLED, STARTING), state, params
    return True, "none", {"version": installed_version() or "?"}


REFUSALS = ("hash", "signature", "no_key", "name", "size")


def _local(iso: object) -> str:
    """last.json's UTC time as the kiosk's local time, to the minute."""
    try:
        return datetime.fromisoformat(str(iso)).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return "?"
