"""Kiosk settings with safe defaults.

The centre admin changes the ones in `kiosk.config.FIELDS` on the admin screen; they are kept
in a readable settings file (kiosk/config.py). The hub token is never a setting: it lives in
the safe store for secrets (kiosk/credentials.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir

APP_FOLDER = "assisted-kiosk"  # the platform's data folder for the kiosk is named this
OUTBOX_FILE = "outbox.sqlite3"
PRACTICE_FOLDER = "practice"
DEMO_FOLDER = "demo"
POLICIES = ("automatic", "offline", "online")  # Settings.offline_policy (kiosk.backend.http)


@dataclass(frozen=True)
class Settings:
    centre_name: str = "Demo community centre"
    default_language: str = "zh_CN"
    languages: tuple[str, ...] = ("zh_CN", "en")
    default_text_size: str = "normal"
    theme: str = "standard"
    idle_timeout_s: int = 120  # no touch for this long: warn
    idle_warning_s: int = 30  # then this long to answer "I need more time" before the wipe
    services: tuple[str, ...] = field(default_factory=tuple)  # empty: every valid service
    receipt_dir: str = ""  # where receipts go as PDF when there is no printer ("" = temp)
    speak_on_open: bool = True  # each screen says itself when it opens
    headset_fitted: bool = False  # offer "I am wearing headphones" (private listening)
    echo_keys: bool = True  # say each key typed on the on-screen keyboard
    reference_is_personal: bool = False  # speak references only through a headset
    status_every_s: float = 5  # how often the connection indicator asks the backend
    offline_policy: str = "automatic"  # automatic | offline (always) | online (only)
    help_poll_s: float = 3  # how often a kiosk that called a helper asks who is coming
    kiosk_id: str = "demo-kiosk"
    hub_url: str = ""  # the hub's address ("" = the embedded demo hub)
    sync_every_s: float = 30  # how often waiting forms are sent to the hub
    speech_rate: str = "normal"  # slow | normal | fast, at the start of each visit
    speech_volume: int = 3  # 1..5, at the start of each visit
    printer: str = ""  # receipt printer ("" = the system's default printer; "pdf" = save a PDF;
    # escpos+tcp://HOST:PORT and the like: an ESC/POS printer, docs/receipt-printer.md)
    card_reader: str = "none"  # none (the demo card in the demo) | pcsc: docs/card-reader.md
    data_dir: str = ""  # helper accounts and the audit log ("" = the platform's data folder)
    practice: bool = False  # practice mode: demo data, clearly marked, nothing sent anywhere
    demo: bool = True  # the embedded demo: demo cards, a demo helper account (PIN 2468)


def data_folder(settings: Settings) -> Path:
    """Where the kiosk keeps its data (helper accounts, audit log, usage log, queue):
    Settings.data_dir, or the platform's data folder; practice has a folder of its own
    inside it, so nothing a practice run does reaches the real kiosk's files. The one place
    that decides it."""
    folder = Path(settings.data_dir or user_data_dir(APP_FOLDER))
    return folder / PRACTICE_FOLDER if settings.practice else folder


def records_folder(settings: Settings) -> Path:
    """Helper accounts, audit log and usage figures: a demo's (with its public demo helper,
    PIN 2468, and its made-up visits) are kept apart from a real kiosk's on the same folder."""
    folder = data_folder(settings)
    return folder / DEMO_FOLDER if settings.demo else folder


def embedded_folder(settings: Settings) -> Path:
    """The embedded demo hub's data and its kiosk's queue."""
    return data_folder(settings) / "embedded"


def outbox_path(settings: Settings, demo: bool) -> Path:
    """The queue file the kiosk uses: the embedded demo hub's in the demo, otherwise its own
    beside its data (also while it waits for a member of staff: the queue is kept there).
    ui/launch.py opens this one and `main.py diagnose` reads it."""
    return embedded_folder(settings) / OUTBOX_FILE if demo else data_folder(settings) / OUTBOX_FILE
