"""The settings file: what the centre admin set, kept as readable TOML in the config folder.

A hand-broken or half-written file never stops the kiosk: `load()` never raises. Whatever it
cannot use falls back to the safe default, and each fault becomes a plain `Problem` for the
admin screen (English as a string; `.text(lang)` in the admin's language). A file that cannot
be read at all is set aside (kiosk.files.set_aside). The hub token is never in this file
(kiosk/credentials.py keeps it).

The demo is a mode, never a fallback: `Loaded.needs_staff` says why this kiosk cannot tell
which hub it serves (a file unreadable, set aside, empty, or with a wrong hub address or kiosk
id), and then ui/launch.py shows the staff screen instead of filing into the demo hub. Only a
kiosk with no settings file at all (a fresh install) or one that says `hub_url = ""` is a demo.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from platformdirs import user_config_dir

from kiosk.files import repairs, set_aside, write_atomically
from kiosk.i18n import languages, tr
from kiosk.identity import READER_CHOICES
from kiosk.message import KioskError, Message
from kiosk.settings import POLICIES, Settings
from kiosk.speech.synth import RATES

APP_FOLDER = "assisted-kiosk"
FILE_NAME = "settings.toml"
TEXT_SIZES = ("normal", "large", "largest")  # ui/theme.TEXT_SIZES (the core imports no ui)
THEMES = ("standard", "high_contrast")
MAX_NAME = 80
MAX_PRINTER = 128
_KIOSK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def config_path() -> Path:
    """$KIOSK_CONFIG if set (tests, several kiosks on one machine), else the platform's folder."""
    chosen = os.environ.get("KIOSK_CONFIG")
    return Path(chosen) if chosen else Path(user_config_dir(APP_FOLDER)) / FILE_NAME


def config_folder() -> Path:
    """Where the settings file lives; the sealed secrets and the admin lock sit beside it."""
    return config_path().parent


class SettingError(KioskError, ValueError):
    """A value the admin cannot use, with a plain reason (`str()` in English)."""


class Problem(str):
    """What was wrong with the settings file: a string in English, `.text(lang)` otherwise."""

    message: Message

    def __new__(cls, key: str, **params: object) -> Problem:
        message = Message(key, params)
        made = super().__new__(cls, message.text("en"))
        made.message = message
        return made

    def text(self, lang: str) -> str:
        return self.message.text(lang)


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the Settings field and the key in the file
    kind: str  # text | choice | number | switch | several
    choices: tuple[str, ...] = ()  # choice/several; empty for services: the caller knows them
    minimum: int | None = None
    maximum: int | None = None
    unit: str = ""  # "seconds" or ""

    @property
    def label_key(self) -> str:
        return f"config.label.{self.name}"

    @property
    def hint_key(self) -> str:
        return f"config.hint.{self.name}"

    def choice_key(self, value: str) -> str:
        """The label of one choice (choice fields; languages show their own names)."""
        return f"config.choice.{self.name}.{value}"


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("centre_name", "text"),
    FieldSpec("kiosk_id", "text"),
    FieldSpec("hub_url", "text"),
    FieldSpec("offline_policy", "choice", POLICIES),
    FieldSpec("sync_every_s", "number", minimum=5, maximum=3600, unit="seconds"),
    FieldSpec("services", "several"),
    FieldSpec("languages", "several", tuple(lang.code for lang in languages())),
    FieldSpec("default_language", "choice", tuple(lang.code for lang in languages())),
    FieldSpec("default_text_size", "choice", TEXT_SIZES),
    FieldSpec("theme", "choice", THEMES),
    FieldSpec("speech_rate", "choice", tuple(RATES)),
    FieldSpec("speech_volume", "number", minimum=1, maximum=5),
    FieldSpec("headset_fitted", "switch"),
    FieldSpec("idle_timeout_s", "number", minimum=30, maximum=600, unit="seconds"),
    FieldSpec("printer", "text"),
    FieldSpec("card_reader", "choice", READER_CHOICES),
)
_SPECS = {spec.name: spec for spec in FIELDS}

# What the file says above each setting (the file's readers edit it in English key names).
_FILE_NOTES = {
    "centre_name": "the centre's name, as citizens see it",
    "kiosk_id": "this kiosk's id at the hub, for example centre-12-a",
    "hub_url": '"" = the built-in demo hub, or an address such as https://hub.example.org',
    "services": "service ids; [] = every service",
    "printer": '"" = the default printer, "pdf" = save receipts as PDF files, a printer name, '
               'or an ESC/POS thermal printer: escpos+tcp://HOST:9100, '
               'escpos+usb://VENDOR:PRODUCT, escpos+serial:///dev/ttyUSB0 (?width=58: 58 mm)',
    "card_reader": '"none" (the demo card in the demo) or "pcsc" (a card reader through pcscd)',
}


# Checking one value ---------------------------------------------------------------------------

def parse(name: str, raw: object, choices: Iterable[str] | None = None) -> object:
    """The value to keep for one setting, or SettingError with a plain reason.

    `choices` replaces the spec's own (services: the ids in the catalogue). For services,
    choosing every one gives () - "every service", including ones added later.
    """
    spec = _SPECS[name]
    allowed = tuple(choices) if choices is not None else spec.choices
    if spec.kind == "text":
        return _TEXT_CHECKS[name](_text(raw))
    if spec.kind == "choice":
        value = raw.strip() if isinstance(raw, str) else raw
        if value not in allowed:
            raise SettingError("config.error.choice", choices=", ".join(allowed))
        return value
    if spec.kind == "number":
        return _number(spec, raw)
    if spec.kind == "switch":
        if not isinstance(raw, bool):
            raise SettingError("config.error.switch")
        return raw
    return _several(spec, raw, allowed)


def _text(raw: object) -> str:
    if not isinstance(raw, str):
        raise SettingError("config.error.text")
    return raw


def _one_line(value: str, longest: int) -> str:
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise SettingError("config.error.one_line")
    if len(value) > longest:
        raise SettingError("config.error.too_long", max=longest)
    return value


def _centre_name(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise SettingError("config.error.centre_name")
    return _one_line(value, MAX_NAME)


def _kiosk_id(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise SettingError("config.error.kiosk_id_missing")
    if not _KIOSK_ID.fullmatch(value):
        raise SettingError("config.error.kiosk_id")
    return value


def _hub_url(raw: str) -> str:
    value = raw.strip()
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname
            or any(ch.isspace() for ch in value)):
        raise SettingError("config.error.hub_url")
    return value


def _printer(raw: str) -> str:
    value = raw.strip()
    if value.lower() == "pdf":
        return "pdf"
    # only when a printer is set: the receipt's layout is not loaded for every start
    from kiosk.escpos_printer import parse_target
    from kiosk.receipt import paper_of

    try:
        escpos = parse_target(value)
    except ValueError:
        raise SettingError("config.error.escpos") from None
    if escpos is None:
        try:
            paper_of(value)
        except ValueError:
            raise SettingError("config.error.paper") from None
    return _one_line(value, MAX_PRINTER)


_TEXT_CHECKS = {"centre_name": _centre_name, "kiosk_id": _kiosk_id, "hub_url": _hub_url,
                "printer": _printer}


def _number(spec: FieldSpec, raw: object) -> int:
    if isinstance(raw, str) and raw.strip().isdigit():
        value: object = int(raw.strip())
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    else:
        value = raw
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingError("config.error.number")
    if not spec.minimum <= value <= spec.maximum:
        key = "config.error.seconds_range" if spec.unit == "seconds" else "config.error.range"
        raise SettingError(key, min=spec.minimum, max=spec.maximum)
    return value


def _several(spec: FieldSpec, raw: object, allowed: tuple[str, ...]) -> tuple[str, ...]:
    if not isinstance(raw, list | tuple) or not all(isinstance(item, str) for item in raw):
        raise SettingError("config.error.several")
    chosen = tuple(dict.fromkeys(item.strip() for item in raw if item.strip()))
    if not chosen:
        raise SettingError(f"config.error.none_{spec.name}")
    for item in chosen:
        if allowed and item not in allowed:
            raise SettingError(f"config.error.unknown_{spec.name}", value=item)
    if spec.name == "services" and allowed and set(chosen) == set(allowed):
        return ()  # every service, and any the catalogue gains later
    return chosen


def conflicts(settings: Settings) -> list[SettingError]:
    """Faults between settings (each one alone is fine): check before saving."""
    if settings.default_language not in settings.languages:
        return [SettingError("config.error.default_language")]
    return []


# The file ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Loaded:
    settings: Settings
    problems: list[Problem]
    needs_staff: Problem | None = None  # why the kiosk cannot know its hub (see the docstring)


def load(path: Path | None = None, base: Settings | None = None,
         services: Iterable[str] | None = None, repair: bool = True) -> Loaded:
    """The settings in the file over `base`; never raises (see the module docstring).

    `services`: the catalogue's service ids, when known, so unknown ones can be left out.
    `repair=False` (diagnose) leaves an unreadable file where it is.
    """
    path = path or config_path()
    base = base or Settings()
    data, problems = _read(path, repair)
    needs_staff = problems[0] if problems else _missing_hub(path, data)
    allowed = {"services": tuple(services) if services is not None else None}
    values: dict[str, object] = {}
    for name, raw in data.items():
        spec = _SPECS.get(name)
        if spec is None:
            problems.append(Problem("config.problem.unknown_key", file=path.name, name=name))
            continue
        if name == "services" and raw == []:
            values[name] = ()  # how the file writes "every service"
            continue
        choices = allowed.get(name)
        if spec.kind == "several" and isinstance(raw, list):
            raw = _leave_out_unknown(spec, raw, choices or spec.choices, path, problems)
        try:
            values[name] = parse(name, raw, choices)
        except SettingError as fault:
            problems.append(Problem("config.problem.bad_value", file=path.name, name=name,
                                    field=Message(spec.label_key), reason=fault.message,
                                    default=_shown(spec, getattr(base, name))))
            if name in ("hub_url", "kiosk_id") and needs_staff is None:
                needs_staff = problems[-1]
    settings = replace(base, **values)
    if conflicts(settings):
        first = settings.languages[0]
        problems.append(Problem("config.problem.default_language", file=path.name,
                                value=settings.default_language, used=first))
        settings = replace(settings, default_language=first)
    return Loaded(settings, problems, needs_staff)


def _missing_hub(path: Path, data: dict[str, object]) -> Problem | None:
    """A file that does not say which hub (empty, or cut short), or no file where one was
    set aside and none saved since: the kiosk was configured, and does not know for what."""
    if path.exists():
        return None if "hub_url" in data else Problem("config.problem.no_hub", file=path.name)
    if any(r.kind == "settings" and Path(r.file).name == path.name
           for r in repairs(path.parent)):
        return Problem("config.problem.set_aside", file=path.name)
    return None  # a fresh install: the demo


def _read(path: Path, repair: bool = True) -> tuple[dict[str, object], list[Problem]]:
    """The file's table, or the problem it has; an unreadable file is set aside."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError:
        return {}, [Problem("config.problem.unreadable", file=path.name)]
    import tomllib  # a fresh install has no file to read

    try:
        return tomllib.loads(raw.decode("utf-8")), []
    except UnicodeDecodeError:
        problem = Problem("config.problem.unreadable", file=path.name)
    except tomllib.TOMLDecodeError as fault:
        line = re.search(r"at line (\d+)", str(fault))
        problem = Problem("config.problem.syntax", file=path.name, line=int(line[1])) if line \
            else Problem("config.problem.syntax_end", file=path.name)
    if repair:
        with contextlib.suppress(OSError):
            set_aside(path, "settings", str(problem))
    return {}, [problem]


def _leave_out_unknown(spec: FieldSpec, raw: list, allowed: tuple[str, ...], path: Path,
                       problems: list[Problem]) -> list:
    """One unknown service or language costs only itself, not the admin's whole choice."""
    if not allowed:
        return raw
    kept = []
    for item in raw:
        if isinstance(item, str) and item.strip() and item.strip() not in allowed:
            reason = Message(f"config.error.unknown_{spec.name}", {"value": item.strip()})
            problems.append(Problem("config.problem.left_out", file=path.name, name=spec.name,
                                    field=Message(spec.label_key), reason=reason))
        else:
            kept.append(item)
    return kept


def _shown(spec: FieldSpec, value: object) -> object:
    """A value as the admin reads it in a message."""
    if isinstance(value, bool):
        return Message("config.value.on" if value else "config.value.off")
    if spec.name == "hub_url" and not value:
        return Message("config.value.demo_hub")
    if spec.name == "printer" and not value:
        return Message("config.value.default_printer")
    if spec.name == "services" and not value:
        return Message("config.value.every_service")
    if isinstance(value, tuple):
        return ", ".join(value)
    if spec.kind == "choice" and spec.name != "default_language":
        return Message(spec.choice_key(str(value)))
    return value


def save(settings: Settings, path: Path | None = None) -> Path:
    """Writes the admin's settings (never the token) atomically: a crash leaves the old file."""
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "# Settings of this assisted-service kiosk, written by its admin screen.",
        "# You may edit it by hand. A mistake never stops the kiosk: it uses the standard",
        "# value instead and the admin screen says what was wrong.",
        "# The hub token is not in this file: it is kept in the kiosk's safe store for secrets.",
        "",
    ]
    import tomli_w  # only the admin's save writes the file

    for spec in FIELDS:
        value = getattr(settings, spec.name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        lines.append(f"# {tr('en', spec.label_key)}: {_file_note(spec)}")
        lines.append(tomli_w.dumps({spec.name: value}).rstrip("\n"))
        lines.append("")
    # readable (0644), as the admin guide promises: nothing secret is in it
    write_atomically(path, "\n".join(lines).encode("utf-8"), mode=0o644)
    return path


def _file_note(spec: FieldSpec) -> str:
    if spec.name in _FILE_NOTES:
        return _FILE_NOTES[spec.name]
    if spec.kind == "choice":
        return "one of " + ", ".join(spec.choices)
    if spec.kind == "several":
        return "one or more of " + ", ".join(spec.choices)
    if spec.kind == "number":
        unit = " seconds" if spec.unit == "seconds" else ""
        return f"a whole number from {spec.minimum} to {spec.maximum}{unit}"
    return "true or false"
