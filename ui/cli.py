"""Assisted-service kiosk (`python main.py ...` in a checkout, `assisted-kiosk ...` installed).

    python main.py                   open the kiosk (full screen) on the built-in demo
    python main.py --windowed        the same in a window, for trying it out
    python main.py --practice        practice mode: demo data, clearly marked, nothing sent
    python main.py tour --out DIR    render every screen of every service to PNG, headless
    python main.py check-services    check the service files and say what is wrong
    python main.py diagnose          say in plain words what works: speech, fonts, hub, disk...
    python main.py verify-audit FILE check the helpers' audit log: OK, or the first broken entry
                    [--hub [URL]] and that it still holds the newest entry the hub was told of
    python main.py add-helper ID "NAME"  (admin) a helper account: asks the PIN, prints the badge
    python main.py recognise STROKES.json  handwritten strokes -> candidate characters, best first
    python main.py remove-helper ID  (admin) the helper can no longer sign in (PIN nor badge)
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from pathlib import Path

NO_SCREEN = """\
No screen was found, so the kiosk cannot open a window here.
  - On a machine with no screen, run it on a virtual one:
      xvfb-run -s "-screen 0 1920x1080x24" ./kiosk.sh run
  - To see every screen as pictures instead:
      QT_QPA_PLATFORM=offscreen ./kiosk.sh run tour --out tour
"""


def has_screen() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True  # the user chose a platform (offscreen, vnc, ...): trust them
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# The Qt-free core the kiosk's first frame needs (the rest loads after it: ui.launch).
CORE_MODULES = ("kiosk.config", "kiosk.session", "kiosk.identity", "kiosk.speech.service",
                "kiosk.ports", "kiosk.assist.audit", "kiosk.usage_recorder", "kiosk.usage",
                "kiosk.backend.http", "hub.serve")


def _import_core_first() -> None:
    """Before PySide6: once loaded, it reads the source of every module imported after it
    (to see whether it uses PySide6's __feature__)."""
    import importlib

    for name in CORE_MODULES:
        importlib.import_module(name)


def run_kiosk(windowed: bool, practice: bool = False) -> int:
    if not has_screen():
        print(NO_SCREEN, file=sys.stderr)
        return 2
    _import_core_first()
    from PySide6.QtCore import Qt

    from kiosk.config import config_path
    from kiosk.settings import Settings
    from kiosk.speech.service import SpeechService
    from ui.launch import (
        WINDOW_SIZE,
        after_first_frame,
        configured_kiosk,
        demo_kiosk,
        load_later,
        qt_app,
    )
    from ui.voice import QtVoice

    app = qt_app()
    voice = QtVoice(SpeechService(begin=False))  # its engine starts after the first frame
    app.aboutToQuit.connect(voice.close)
    if practice:  # the in-process demo backend: nothing leaves this machine
        from kiosk import credentials

        credentials.choose_store(demo=True)  # the admin PIN needs a store even here
        kiosk = demo_kiosk(Settings(practice=True), voice=voice)
    else:  # the settings file (none: the embedded demo hub, as before), the centre's hub
        kiosk, close = configured_kiosk(config_path(), voice=voice, after_frame=True)
        app.aboutToQuit.connect(close)
    kiosk.admin.closing_program.connect(app.quit)  # the admin's "Close the kiosk program"
    # the screens a citizen has not reached yet, and the menu's tiles, come after the first frame
    after_first_frame(kiosk.window, lambda: (voice.service.begin(), load_later(),
                                             kiosk.build_later(lambda: kiosk.menu.tiles)))
    if windowed:  # for trying it out: a window that closes as usual
        kiosk.window.may_close = True
        kiosk.window.resize(*WINDOW_SIZE)
        kiosk.window.show()
    else:
        # Locked down: no title bar to close or move it by; the window ignores close requests
        # (KioskWindow.closeEvent). With no window manager (a bare X server, a kiosk without a
        # compositor) full screen is only a hint: take the whole screen explicitly as well.
        kiosk.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        kiosk.window.setGeometry(app.primaryScreen().geometry())
        kiosk.window.showFullScreen()
    # the first screen is up: the updater's start check waits for this (kiosk/updater.py)
    after_first_frame(kiosk.window, _mark_started)
    return app.exec()


def _mark_started() -> None:
    from kiosk.update import mark_started  # requests, packaging: not before the first frame

    mark_started()


def add_helper(helper_id: str, name: str, data_dir: Path | None,
               read_pin=getpass.getpass) -> int:
    """The PIN is typed without echo and stored only as an argon2id hash."""
    from kiosk.assist.helpers import HelperAccounts
    from kiosk.settings import Settings, data_folder

    folder = data_dir or data_folder(Settings())
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    pin = read_pin("PIN for the new helper (4 to 8 digits): ")
    if pin != read_pin("The same PIN again: "):
        print("The two PINs differ; nothing was saved.", file=sys.stderr)
        return 1
    try:
        token = HelperAccounts(folder / "helpers.json").create(helper_id, name, pin)
    except ValueError as problem:
        print(f"Not saved: {problem}", file=sys.stderr)
        return 1
    print(f"Helper {helper_id} added. Print this on their badge as a QR code (shown once):")
    print(HelperAccounts.badge_text(helper_id, token))
    return 0


def recognise(path: Path) -> int:
    """Strokes (a JSON list of strokes, each a list of [x, y] on a 300 x 300 canvas) ->
    the candidate characters, one a line, best first."""
    from kiosk.input import InputUnavailable
    from kiosk.input.handwriting import load_strokes, recogniser

    try:
        strokes = load_strokes(path)
        candidates = recogniser().candidates(strokes)
    except (ValueError, InputUnavailable) as problem:
        print(f"Cannot recognise: {problem}", file=sys.stderr)
        return 1
    print("\n".join(candidates))
    return 0


def remove_helper(helper_id: str, data_dir: Path | None) -> int:
    from kiosk.assist.helpers import HelperAccounts
    from kiosk.settings import Settings, data_folder

    folder = data_dir or data_folder(Settings())
    if not HelperAccounts(folder / "helpers.json").remove(helper_id):
        print(f"There is no helper {helper_id} on this kiosk; nothing was changed.",
              file=sys.stderr)
        return 1
    print(f"Helper {helper_id} removed: their PIN and badge no longer work here.")
    return 0


def kiosk_catalogue(folder: Path, token: str):
    """The catalogue the kiosk runs on (ui/launch.py): the hub's cached one, else the shipped."""
    from kiosk.catalogue import load_catalogue
    from kiosk.sync.catalogue_cache import best_catalogue

    return best_catalogue(folder / "catalogue") if token else load_catalogue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--windowed", action="store_true", help="open in a window")
    parser.add_argument("--practice", action="store_true",
                        help="practice mode: demo data, clearly marked, nothing sent")
    commands = parser.add_subparsers(dest="command")
    tour = commands.add_parser("tour", help="render every screen to PNG (headless)")
    tour.add_argument("--out", type=Path, required=True, help="folder for the pictures")
    tour.add_argument("--size", default="largest", help="text size: normal, large, largest")
    tour.add_argument("--lang", action="append", help="only this language (may repeat)")
    tour.add_argument("--part", action="append", help="only this part: screens, looks, "
                      "branches, errors, admin, remote (may repeat)")
    check = commands.add_parser("check-services", help="check the service files")
    check.add_argument("folder", nargs="?", type=Path, default=None)
    commands.add_parser("diagnose", help="check speech, fonts, hub, secrets, disk, queue")
    audit = commands.add_parser("verify-audit", help="check the helpers' audit log")
    audit.add_argument("file", type=Path)
    audit.add_argument("--hub", nargs="?", const="", default=None, metavar="URL",
                       help="also check it holds the newest entry the hub was told of")
    helper = commands.add_parser("add-helper", help="(admin) create a helper account")
    helper.add_argument("helper_id")
    helper.add_argument("name")
    helper.add_argument("--data-dir", type=Path, default=None)
    read = commands.add_parser("recognise", help="handwritten strokes to Chinese characters")
    read.add_argument("strokes", type=Path, help="JSON: strokes of [x, y] on a 300 x 300 canvas")
    gone = commands.add_parser("remove-helper", help="(admin) remove a helper account")
    gone.add_argument("helper_id")
    gone.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    if args.command == "check-services":
        from kiosk.catalogue import SERVICES_DIR, check_services

        return check_services(args.folder or SERVICES_DIR)
    if args.command == "add-helper":
        return add_helper(args.helper_id, args.name, args.data_dir)
    if args.command == "recognise":
        return recognise(args.strokes)
    if args.command == "remove-helper":
        return remove_helper(args.helper_id, args.data_dir)
    if args.command == "verify-audit":
        from kiosk.assist.verify import main as verify

        return verify([str(args.file)] + ([] if args.hub is None else ["--hub", args.hub]))
    if args.command == "diagnose":  # everything but the printer, which only Qt can see
        from kiosk import credentials
        from kiosk.config import Problem, config_path, load
        from kiosk.diagnostics import all_checks, open_queue, report
        from kiosk.settings import outbox_path

        loaded = load(config_path(), repair=False)  # the kiosk may be running: only read
        for problem in loaded.problems:
            print(f"PROBLEM  Settings file: {problem}")
        settings = loaded.settings
        demo = not settings.hub_url and loaded.needs_staff is None  # as ui/launch.py decides
        credentials.choose_store(demo=demo, repair=False)
        token = credentials.load_token(settings.kiosk_id) or ""
        staff = loaded.needs_staff or (not demo and not token and Problem(
            "admin.problem.no_token", kiosk_id=settings.kiosk_id))
        if staff:  # the staff screen, never the demo
            print(f"PROBLEM  This kiosk needs a member of staff: {staff}")
        queue = outbox_path(settings, demo)  # the one the kiosk uses
        outbox, damaged = open_queue(queue)
        try:
            checks = all_checks(settings, outbox=outbox, token=token,
                                catalogue=kiosk_catalogue(queue.parent, token))
            checks += [damaged] * bool(damaged)
        finally:
            if outbox is not None:
                outbox.close()
        print(report(checks))
        return 0 if all(c.ok for c in checks) and not loaded.problems and not staff else 1
    if args.command == "tour":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from ui.tour import PASSES, run_tour

        return run_tour(args.out, args.size, tuple(args.lang or ()) or None,
                        tuple(args.part or PASSES))
    return run_kiosk(args.windowed, args.practice)


if __name__ == "__main__":
    sys.exit(main())
