"""Plain OK / problem checks for a centre admin: can this kiosk speak, show Chinese, print,
reach its hub, keep secrets, store its data, and has it sent what it took in?

Each check carries i18n keys and parameters, so the admin screen shows it in the screen's
language (`Check.translated`); the English text is there for `python main.py diagnose`.
Nothing here needs Qt: what only Qt knows (printers, Qt's version) the UI passes in.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import requests
from keyring.errors import KeyringError

from kiosk import credentials
from kiosk.catalogue import Catalogue
from kiosk.files import repairs
from kiosk.i18n import languages, tr
from kiosk.message import Message
from kiosk.secret_file import SealedFileKeyring
from kiosk.settings import Settings, data_folder
from kiosk.speech.engine_text import chinese, for_engine
from kiosk.speech.phonemes import ChineseReader, PhonemeError
from kiosk.speech.player import find_output
from kiosk.speech.synth import Synthesiser
from kiosk.sync.outbox import QUARANTINED, Outbox
from kiosk.update import Spool, spool_from_env
from kiosk.update import status as update_status

MIN_FREE_MB = 500
QUIET_FOR = timedelta(days=1)  # waiting items and nothing sent for this long: a problem
HUB_TRIES = 3
MB = 1024 * 1024


@dataclass(frozen=True)
class Check:
    name: str  # English, for the command line
    ok: bool
    detail: str
    key: str = ""  # i18n key of the name ("diag.fonts")
    detail_key: str = ""  # i18n key of the detail ("diag.fonts.none")
    params: dict[str, Any] = field(default_factory=dict)  # for both texts

    def translated(self, lang: str) -> Check:
        """The same check with its name and detail in `lang` (English where untranslated)."""
        if not self.key:
            return self
        return replace(self, name=Message(self.key, self.params).text(lang),
                       detail=Message(self.detail_key, self.params).text(lang))


def verdict(lang: str, ok: bool) -> str:
    """"OK" or "Problem", in `lang`."""
    return tr(lang, "diag.ok" if ok else "diag.problem")


def _check(key: str, ok: bool, outcome: str, **params: Any) -> Check:
    detail_key = f"{key}.{outcome}"
    return Check(tr("en", key, **params), ok, tr("en", detail_key, **params), key, detail_key,
                 params)


# --- speech ------------------------------------------------------------------------------

_NO_SOUND = {"no sound card was found": "no_card",
             "no audio player (paplay or aplay) is installed": "no_player"}


def reading_check(name: str, voice: str, sample: str) -> Check:
    """Does the voice say Chinese as Chinese? espeak-ng 1.51's sit/cmn reads every Han
    character as English pinyin with its tone number: installed, working, and unintelligible."""
    try:
        (said,) = ChineseReader(voice).read([sample])
    except PhonemeError as problem:
        return _check("diag.reading", False, "unreadable", name=name, voice=voice,
                      why=str(problem))
    if said.problem:
        return _check("diag.reading", False, "english", name=name, voice=voice)
    return _check("diag.reading", True, "ok", name=name, voice=voice)


def speech_checks(synth: Synthesiser, codes: Sequence[str] | None = None) -> list[Check]:
    """The engine, a voice for each offered language and dialect, how each Chinese voice
    reads Chinese, and the sound output."""
    checks = []
    engine = synth.available()
    checks.append(_check("diag.speech", engine, "ok" if engine else "broken",
                         problem=synth.problem))
    for lang in languages():
        if codes is not None and lang.code not in codes:
            continue
        wanted = [(lang.name, lang.voice, "")] + [(d["name"], d["voice"], code) for code, d
                                                  in (lang.dialects or {}).items()]
        for name, voice, dialect in wanted:
            found = engine and voice in synth.voices
            checks.append(_check("diag.voice", found, "ok" if found else "missing",
                                 name=name, voice=voice))
            if found and chinese(lang.code):
                sample = for_engine(tr(dialect or lang.code, "confirm.heading"), lang.code,
                                    dialect)
                checks.append(reading_check(name, voice, sample))
    command, where = find_output()
    if command is not None:
        checks.append(_check("diag.sound", True, "ok", where=where))
    else:
        checks.append(_check("diag.sound", False, _NO_SOUND.get(where, "other"), why=where))
    return checks


# --- fonts -------------------------------------------------------------------------------


def fonts_check() -> Check:
    """Qt finds fonts through fontconfig on Linux: ask it for faces that cover Chinese."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return _check("diag.fonts", False, "no_fontconfig")
    families = sorted({line.split(",")[0].strip() for line in listed.splitlines()} - {""})
    if not families:
        return _check("diag.fonts", False, "none")
    family = next((f for f in families if "Sans CJK SC" in f), families[0])
    return _check("diag.fonts", True, "ok", count=len(families), family=family)


# --- printer -----------------------------------------------------------------------------


def printer_check(names: Sequence[str], default: str, wanted: str) -> Check:
    """`names` and `default` as Qt found them; `wanted` is Settings.printer ("" = the
    system's default, "pdf" = always a PDF). With no printer a receipt becomes a PDF, which
    is only a problem when the settings name a printer that is not there."""
    if wanted == "pdf":
        return _check("diag.printer", True, "pdf_chosen")
    if wanted.lower().startswith("escpos"):  # not one of Qt's: asked for its state when printing
        return _check("diag.printer", True, "escpos", printer=wanted)
    if wanted:
        if wanted in names:
            return _check("diag.printer", True, "chosen", printer=wanted)
        return _check("diag.printer", False, "missing", printer=wanted)
    if names:
        return _check("diag.printer", True, "default", printer=default or names[0])
    return _check("diag.printer", True, "none")


# --- hub ---------------------------------------------------------------------------------


def card_reader_check(wanted: str, problem: str) -> Check:
    """`wanted` is Settings.card_reader; `problem` what the reader itself found
    (kiosk.pcsc.PcscCardReader.problem). Without a reader citizens type their number."""
    if wanted != "pcsc":
        return _check("diag.card_reader", True, "none")
    return _check("diag.card_reader", not problem, problem or "ready")


def hub_check(url: str, token: str, timeout: float = 3.0, tries: int = HUB_TRIES) -> Check:
    """A conditional GET of the catalogue (If-None-Match: * asks for a bodiless 304), the
    same call the kiosk makes to find out whether it is online; the round trip is the median
    of `tries` answers on one connection."""
    if not url:
        return _check("diag.hub", True, "demo")
    address = f"{url.rstrip('/')}/v1/catalogue"
    headers = {"If-None-Match": "*", "Authorization": f"Bearer {token}"}
    times = []
    with requests.Session() as session:
        for _ in range(tries):
            started = time.perf_counter()
            try:
                answer = session.get(address, headers=headers, timeout=timeout)
            except (requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema,
                    requests.exceptions.InvalidURL):
                return _check("diag.hub", False, "bad_address", url=url)
            except requests.exceptions.SSLError:
                return _check("diag.hub", False, "tls", url=url)
            except requests.RequestException:
                return _check("diag.hub", False, "unreachable", url=url)
            times.append(time.perf_counter() - started)
            if answer.status_code == 401:
                return _check("diag.hub", False, "unknown_token" if token else "no_token",
                              url=url)
            if answer.status_code not in (200, 304):
                return _check("diag.hub", False, "error", url=url, status=answer.status_code)
    ms = max(1, round(statistics.median(times) * 1000))
    return _check("diag.hub", True, "ok", url=url, ms=ms)


# --- secrets, disk, version ----------------------------------------------------------------


def keyring_check(kiosk_id: str = Settings.kiosk_id) -> Check:
    """Which store kiosk.credentials.choose_store() put in place (the one this process uses),
    and, for a sealed file, whether this machine's key opens it (it reads the hub token)."""
    try:
        backend = credentials.store()
    except credentials.NoSafeStore:
        return _check("diag.keyring", False, "none")
    if isinstance(backend, SealedFileKeyring):
        try:
            backend.get_password(credentials.SERVICE, kiosk_id)
        except (KeyringError, ValueError):  # another key, a changed or unreadable file
            return _check("diag.keyring", False, "sealed_unreadable", path=str(backend.path))
        return _check("diag.keyring", True, "sealed", path=str(backend.path))
    if isinstance(backend, credentials.DemoMemoryKeyring):
        return _check("diag.keyring", True, "memory")
    kind = type(backend)
    return _check("diag.keyring", True, "system", backend=f"{kind.__module__}.{kind.__name__}")


def _size(count: int) -> str:
    return f"{count / (1024 * MB):.1f} GB" if count >= 1024 * MB else f"{count // MB} MB"


def disk_check(folder: Path, min_free_mb: int = MIN_FREE_MB) -> Check:
    """Free space where the kiosk keeps its queue and records (the folder may not exist yet:
    the nearest folder above it that does is on the same disk, as far as anyone can say)."""
    there = Path(folder).absolute()
    while not there.exists() and there != there.parent:
        there = there.parent
    free = shutil.disk_usage(there).free
    ok = free >= min_free_mb * MB
    return _check("diag.disk", ok, "ok" if ok else "low", free=_size(free), folder=str(folder),
                  minimum=_size(min_free_mb * MB))


def services_check(catalogue: Catalogue) -> Check:
    """The service files that were not loaded (their services are silently missing from the
    menu otherwise), each with its first problem."""
    first: dict[str, str] = {}
    for problem in catalogue.problems:
        first.setdefault(problem.file, str(problem))
    loaded = len(catalogue.services)
    if not first:
        return _check("diag.services", True, "ok", total=loaded)
    return _check("diag.services", False, "broken", total=loaded, count=len(first),
                  reason="; ".join(first.values()))


def version_check(qt_version: str = "") -> Check:
    try:
        version = metadata.version("assisted-kiosk")
    except metadata.PackageNotFoundError:
        return _check("diag.version", True, "unknown")
    return _check("diag.version", True, "with_qt" if qt_version else "ok", version=version,
                  qt=qt_version)


def update_check(spool: Spool, keys_folder: Path | None = None) -> Check:
    """The last release the hub offered: installed, waiting, or why not (kiosk/update.py)."""
    ok, outcome, params = update_status(spool, keys_folder)
    return _check("diag.update", ok, outcome, **params)


# --- sync --------------------------------------------------------------------------------


def _when(iso: str | None) -> datetime | None:
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def sync_checks(outbox: Outbox, now: datetime | None = None,
                quiet_for: timedelta = QUIET_FOR) -> list[Check]:
    """When the hub last acknowledged something, what waits, and what it refused. Waiting
    items are a problem only once the oldest has waited, and nothing was sent, for a day."""
    now = now or datetime.now(UTC)
    last = _when(outbox.last_sent())
    waiting = [item for item in outbox.items() if item.state != QUARANTINED]
    refused = outbox.quarantined_count()
    since = {} if last is None else {"when": _local(last)}
    suffix = "_never" if last is None else ""
    if not waiting:
        sync = _check("diag.sync", True, "idle" + suffix, **since)
    else:
        oldest = min((w for w in map(_when, (i.created for i in waiting)) if w), default=now)
        stale = now - oldest > quiet_for and (last is None or now - last > quiet_for)
        sync = _check("diag.sync", not stale, ("stale" if stale else "waiting") + suffix,
                      waiting=len(waiting), **since)
    return [sync, _check("diag.refused", refused == 0, "none" if refused == 0 else "some",
                         count=refused)]


def open_queue(path: Path) -> tuple[Outbox | None, Check | None]:
    """The queue file for reading (never repaired from here: the kiosk may have it open), or
    the check that says it is damaged; (None, None) when there is none."""
    if not path.exists():
        return None, None
    try:
        outbox = Outbox(path, repair=False)
        outbox.items()
    except sqlite3.DatabaseError as problem:
        return None, _check("diag.sync", False, "damaged", file=path.name,
                            why=str(problem)[:80])
    return outbox, None


# --- damaged files set aside -------------------------------------------------------------

REPAIRS_SHOWN_FOR = timedelta(days=30)


def repair_folders(settings: Settings) -> list[Path]:
    """Where the kiosk records the damaged files it set aside (kiosk.files.repairs)."""
    from kiosk.config import config_folder

    data = data_folder(settings)
    return list(dict.fromkeys([config_folder(), data, data / "demo", data / "catalogue",
                               data / "embedded", data / "embedded" / "catalogue"]))


def repairs_check(folders: Sequence[Path], now: datetime | None = None) -> Check:
    """Each damaged file set aside in the last 30 days, what it was and what was kept."""
    now = now or datetime.now(UTC)
    recent = [r for r in repairs(*folders)
              if (_when(r.time) or now) > now - REPAIRS_SHOWN_FOR]
    return _check("diag.repairs", not recent, "some" if recent else "none",
                  count=len(recent), list=RepairList(recent))


class RepairList(tuple):
    """Repairs as a check's parameter: English by default, `text(lang)` on the admin screen."""

    def text(self, lang: str) -> str:
        return " ".join(repair.text(lang) for repair in self)

    def __format__(self, spec: str) -> str:
        return self.text("en")


# --- everything --------------------------------------------------------------------------


# --- writing Chinese ----------------------------------------------------------------------

def writing_checks() -> list[Check]:
    """Handwriting and pinyin, each tried on a real sample, not only looked for."""
    from kiosk.input import InputUnavailable
    from kiosk.input.handwriting import SAMPLE, recogniser
    from kiosk.input.pinyin import pinyin

    checks = []
    try:
        got = recogniser().candidates(SAMPLE)[:5]
        checks.append(_check("diag.handwriting", "十" in got, "ok" if "十" in got else "wrong",
                             character="十", got="、".join(got) or "—"))
    except InputUnavailable as problem:
        checks.append(_check("diag.handwriting", False, "broken", why=str(problem)))
    try:
        offered = pinyin().candidates("bei")[:8]
        checks.append(_check("diag.pinyin", "北" in offered, "ok" if "北" in offered else "wrong",
                             first=" ".join(offered[:4]), got=" ".join(offered) or "—"))
    except InputUnavailable as problem:
        checks.append(_check("diag.pinyin", False, "broken", why=str(problem)))
    return checks


def all_checks(settings: Settings, synth: Synthesiser | None = None,
               outbox: Outbox | None = None, token: str = "",
               printers: tuple[Sequence[str], str] | None = None,
               data_dir: Path | None = None, *, hub_url: str | None = None,
               qt_version: str = "", min_free_mb: int = MIN_FREE_MB,
               catalogue: Catalogue | None = None) -> list[Check]:
    """Every check that can be made with what is given: no printers (no Qt) leaves out the
    printer, no outbox the sync, no catalogue the service files. `hub_url` is the hub in use
    (default Settings.hub_url; "" is the built-in demo hub). Slow (the hub and the speech
    engine may take seconds): call it off the GUI thread. With no `synth`, one is started for
    the checks and closed."""
    checks = [version_check(qt_version)]
    spool = spool_from_env()  # an appliance's: the units set it (deploy/README.md "Updates")
    if spool is not None:
        checks.append(update_check(spool))
    own_synth = synth is None
    synth = synth or Synthesiser()
    try:
        checks += speech_checks(synth, settings.languages)
    finally:
        if own_synth:
            synth.close()
    checks.append(fonts_check())
    checks += writing_checks()
    if printers is not None:
        names, default = printers
        checks.append(printer_check(list(names), default, settings.printer))
    url = settings.hub_url if hub_url is None else hub_url
    checks.append(hub_check(url, token))
    checks.append(keyring_check(settings.kiosk_id))
    checks.append(disk_check(data_dir or data_folder(settings), min_free_mb))
    if catalogue is not None:
        checks.append(services_check(catalogue))
    if outbox is not None:
        checks += sync_checks(outbox)
    checks.append(repairs_check(repair_folders(settings)))
    return checks


def report(checks: list[Check]) -> str:
    return "\n".join(f"{'OK     ' if c.ok else 'PROBLEM'}  {c.name}: {c.detail}" for c in checks)
