"""Putting the kiosk together: the Qt application, the catalogue, the backend and the reader.
main.py, the tour, the tests and the benchmarks all start the kiosk through here.

main.py (`after_frame=True`) paints the welcome screen first; what that screen does without
comes after its first frame (`after_first_frame`): the other screens, the catalogue (read when
the menu is first built), the HTTP stack (at the first request, off the GUI thread), the
keyring on the demo, the embedded hub's web stack. docs/architecture.md, "Starting"."""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.backend import BackendError
from kiosk.identity import DemoCardReader, NullCardReader, reader_for
from kiosk.settings import OUTBOX_FILE, Settings, data_folder, embedded_folder, outbox_path
from ui.accessibility import start_accessibility_bus
from ui.app import Kiosk, Voice
from ui.composition import demo_ports, hub_backend, hub_ports, no_hub_ports
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from kiosk.catalogue import Catalogue

# Latin first so English reads in its own face; the CJK face covers Chinese. Both from Debian's
# fonts-noto-cjk (its Latin glyphs too), so the look is the same on every kiosk.
FONT_FAMILIES = ["Noto Sans CJK SC", "Noto Sans", "DejaVu Sans"]
APP_NAME = "assisted-kiosk"
WINDOW_SIZE = (1920, 1080)  # the reference kiosk screen: a 21.5 inch full-HD touch panel


def qt_app() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName(APP_NAME)  # what a screen reader calls the program
        start_accessibility_bus(app)
    available = set(QFontDatabase.families())
    font = QFont()
    font.setFamilies([f for f in FONT_FAMILIES if f in available] or FONT_FAMILIES)
    app.setFont(font)
    return app


def demo_kiosk(settings: Settings | None = None, today: date | None = None,
               voice: Voice | None = None) -> Kiosk:
    """The in-process demo backend: for tests, the tour and practice, where no network is
    wanted (practice: PRACTICE references, its own data folder)."""
    from kiosk.catalogue import load_catalogue

    qt_app()
    settings = settings or Settings()
    return Kiosk(settings, demo_ports(today, settings.practice), load_catalogue(),
                 DemoCardReader(), voice=voice, today=today)


class EmbeddedHub:
    """The embedded default: the reference hub with demo data on loopback, and the kiosk
    talking to it over HTTP through its outbox, exactly as it would to a real one.

    Building one binds the hub's port and nothing more; `start()` loads the web stack and
    serves (main.py does that after the kiosk's first frame). Until then the kiosk's requests
    wait in the port's backlog: slow, not offline."""

    def __init__(self, folder: Path | None = None, policy: str = "automatic",
                 services_dir: Path | None = None) -> None:
        from hub.config import Settings as HubSettings
        from hub.serve import RunningHub, listening_socket

        self.folder = folder or embedded_folder(Settings())
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        hub_settings = HubSettings(data_dir=self.folder / "hub", demo=True, migrate_on_start=True)
        if services_dir is not None:  # benchmarks: a catalogue of many services
            hub_settings = replace(hub_settings, services_dir=services_dir)
        self.hub = RunningHub(hub_settings, listening_socket())
        self.backend = hub_backend(self.hub.url, self.hub.token, self.folder / OUTBOX_FILE,
                                   kiosk_id="demo-kiosk", policy=policy, lone=True)

    def start(self) -> None:
        self.hub.start()
        self.backend.sender.start()

    def close(self) -> None:
        self.backend.sender.stop()
        self.hub.stop()


def kept_catalogue(cache: Path) -> Catalogue:
    """The catalogue kept from the hub (kiosk.sync.catalogue_cache), read when the kiosk first
    needs it: the service files and YAML are not read before main.py's first frame."""
    from kiosk.sync.catalogue_cache import best_catalogue

    return best_catalogue(cache)


def after_first_frame(window: QWidget, work: Callable[[], None]) -> None:
    """`work` once `window` has painted for the first time (what a citizen sees first is not
    kept waiting by what can come later)."""

    class FirstFrame(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and watched.isWidgetType() \
                    and watched.window() is window:
                app.removeEventFilter(self)
                self.deleteLater()
                QTimer.singleShot(0, work)  # after this paint, not inside it
            return False

    app = QApplication.instance()
    app.installEventFilter(FirstFrame(app))  # any of its widgets: opaque children hide it


# What the first screen does not need, loaded once it is up and before a citizen gets far:
# the QR code on the confirmation screen (qrcode, PIL), the checks of ID numbers and phone
# numbers (python-stdnum, phonenumbers), the HTTP stack and the sealing of submissions.
LATER_IMPORTS = ("ui.qr", "stdnum.cn.ric", "stdnum.numdb", "phonenumbers", "requests", "uuid",
                 "kiosk.sync.sealing")


def load_later() -> None:
    """In the background, after the first frame (a few hundred ms of imports off the GUI)."""
    run_in_background(lambda: [importlib.import_module(name) for name in LATER_IMPORTS],
                      lambda _: None)


def fetch_catalogue_later(kiosk: Kiosk, backend, cache: Path,
                          first: Callable[[], None] | None = None) -> None:
    """In the background: `first` (start the embedded hub), then the hub's catalogue into
    `cache`; a catalogue that differs from the kiosk's is used between visits."""

    from kiosk.sync.catalogue_cache import best_catalogue, refresh

    def fetch() -> Catalogue | None:
        if first is not None:
            first()
        return best_catalogue(cache) if refresh(backend, cache) else None

    def fetched(catalogue: Catalogue | None) -> None:  # on the GUI thread, as the kiosk's is
        if catalogue is not None and not kiosk.closed and catalogue != kiosk.catalogue:
            use_between_visits(kiosk, catalogue)

    run_in_background(fetch, fetched)


def use_between_visits(kiosk: Kiosk, catalogue: Catalogue) -> None:
    if kiosk.closed:
        return
    if kiosk.fleet_link is not None:  # it already waits for the welcome screen
        kiosk.fleet_link.arrived((None, catalogue))
        return
    if kiosk.current() is kiosk.attract:
        kiosk.use_catalogue(catalogue)
        kiosk.menu.tiles  # noqa: B018 - built now, on the welcome screen, not on a tap
        return

    def shown(screen: object) -> None:
        if screen is kiosk.attract:
            kiosk.screen_shown.disconnect(shown)
            QTimer.singleShot(0, lambda: use_between_visits(kiosk, catalogue))

    kiosk.screen_shown.connect(shown)


def configured_kiosk(config_file: Path, voice: Voice | None = None,
                     folder: Path | None = None,
                     after_frame: bool = False) -> tuple[Kiosk, Callable[[], None]]:
    """The kiosk as main.py opens it, and what to call when the program ends.

    The demo is a mode, never a fallback. With no settings file at all (a fresh install) or
    one that says `hub_url = ""`, the kiosk runs on the embedded demo hub. With a hub address
    and its token, it talks to that hub. A kiosk that cannot tell (a settings file unreadable,
    empty or wrong: kiosk.config `needs_staff`; or no token, or a damaged secrets file) files
    nothing anywhere: it shows "needs a member of staff", keeps its queue, and the admin
    screen says why. `folder`: where the kiosk keeps its data (default: the platform's).
    `after_frame` (main.py): the embedded hub starts, and the hub's catalogue is fetched, once
    the window has painted its first frame; the kiosk starts on the catalogue it kept."""
    from kiosk import config

    qt_app()
    loaded = config.load(config_file)
    settings = loaded.settings
    if folder is not None:  # everything the kiosk keeps goes there (tests, a second kiosk)
        settings = replace(settings, data_dir=str(folder))
    demo = not settings.hub_url and loaded.needs_staff is None
    start_problems: list[config.Problem] = []
    if demo:
        # its queue is outbox_path(settings, demo=True), where `diagnose` looks
        kiosk, embedded = embedded_kiosk(settings, voice, embedded_folder(settings),
                                         after_frame=after_frame)
        close: Callable[[], None] = embedded.close
        # the store for the admin PIN: asked for only once someone holds the corner
        if after_frame:
            after_first_frame(kiosk.window, choose_demo_store)
        else:
            choose_demo_store()
    else:
        from kiosk import credentials

        credentials.choose_store(demo=False)
        settings = replace(settings, demo=False)
        token = credentials.load_token(settings.kiosk_id) if settings.hub_url else None
        needs_staff = loaded.needs_staff or (None if token else config.Problem(
            "admin.problem.no_token", kiosk_id=settings.kiosk_id))
        if needs_staff is None:
            kiosk, close = hub_kiosk(settings, str(token), voice, config_file, after_frame)
        else:  # listed until the kiosk starts again, even once the settings are saved
            start_problems.append(needs_staff)
            kiosk, close = staff_kiosk(settings, needs_staff, voice)
    kiosk.admin.file_problems = [p for p in loaded.problems if p not in start_problems]
    kiosk.admin.start_problems = start_problems
    return kiosk, close


def choose_demo_store() -> None:
    """The demo's store for secrets (kiosk.credentials: the system keyring, else the sealed
    file, else memory); keyring's search for backends takes a tenth of a second."""
    from kiosk import credentials

    credentials.choose_store(demo=True)


def hub_kiosk(settings: Settings, token: str, voice: Voice | None = None,
              settings_path: Path | None = None,
              after_frame: bool = False) -> tuple[Kiosk, Callable[[], None]]:
    """A kiosk for the hub at settings.hub_url: its own queue, no demo parts. Settings the
    hub pushes are saved to `settings_path` (kiosk.fleet, ui.fleet_link). `after_frame`
    (main.py): the sender, the fleet link, the first poll and the catalogue's fetch start once
    the window has painted its first frame."""
    queue = outbox_path(settings, demo=False)
    folder = queue.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    backend = hub_backend(settings.hub_url, token, queue, kiosk_id=settings.kiosk_id,
                          policy=settings.offline_policy)
    backend.sender.interval = settings.sync_every_s
    cache = folder / "catalogue"
    if not after_frame:
        from kiosk.sync.catalogue_cache import refresh

        backend.sender.start()
        refresh(backend, cache)
    kiosk = Kiosk(settings, hub_ports(backend), partial(kept_catalogue, cache),
                  reader_for(settings), voice=voice, later=after_frame)

    def link_fleet() -> None:
        from kiosk.fleet import Fleet
        from kiosk.update import Updates, spool_from_env
        from kiosk.version import version as kiosk_version
        from ui.fleet_link import FleetLink

        audit = kiosk.assisted.audit
        fleet = Fleet(settings, settings_path, lambda: audit.head, cache)
        spool = spool_from_env()  # an appliance: releases the hub offers (deploy/README.md)
        if spool is not None:
            fleet.updates = Updates(spool, kiosk_version())
        kiosk.fleet_link = FleetLink(kiosk, fleet)
        backend.report = fleet.report

    if after_frame:  # a slow link does not hold up the first screen
        after_first_frame(kiosk.window, lambda: (
            backend.sender.start(), link_fleet(), kiosk.finish_start(),
            fetch_catalogue_later(kiosk, backend, cache)))
    else:
        link_fleet()

    def close() -> None:
        backend.sender.stop()
        backend.outbox.close()  # the last connection: SQLite folds its WAL into the file

    return kiosk, close


def staff_kiosk(settings: Settings, why: object,
                voice: Voice | None = None) -> tuple[Kiosk, Callable[[], None]]:
    """A kiosk that does not know its hub: the staff screen, the admin's way in, and the
    queue it had (never sent, never dropped) for the admin to see."""
    from kiosk.sync.catalogue_cache import best_catalogue

    folder = data_folder(settings)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    ports = no_hub_ports(outbox_path(settings, demo=False), settings.kiosk_id)
    kiosk = Kiosk(settings, ports, best_catalogue(folder / "catalogue"), NullCardReader(),
                  voice=voice, needs_staff=why)
    return kiosk, ports.queue.outbox.close


def embedded_kiosk(settings: Settings | None = None, voice: Voice | None = None,
                   folder: Path | None = None, after_frame: bool = False,
                   services_dir: Path | None = None) -> tuple[Kiosk, EmbeddedHub]:
    """`after_frame`: as configured_kiosk; else the hub serves, and its catalogue and sealing
    key are fetched, before the kiosk is built. `services_dir`: the hub's services (default:
    the shipped)."""
    qt_app()
    settings = settings or Settings()
    embedded = EmbeddedHub(folder, policy=settings.offline_policy, services_dir=services_dir)
    cache = embedded.folder / "catalogue"
    if not after_frame:
        from kiosk.sync.catalogue_cache import refresh

        embedded.start()
        # offline: the copy from last time, or the shipped one
        refresh(embedded.backend, cache)
        with contextlib.suppress(BackendError):  # as the first poll would (after this returns)
            embedded.backend.public_key()
    kiosk = Kiosk(settings, hub_ports(embedded.backend),
                  partial(kept_catalogue, cache),
                  reader_for(settings), voice=voice, later=after_frame)
    if after_frame:
        after_first_frame(kiosk.window, lambda: (kiosk.finish_start(), fetch_catalogue_later(
            kiosk, embedded.backend, cache, first=embedded.start)))
    return kiosk, embedded
