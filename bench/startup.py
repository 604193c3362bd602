"""Cold start: from launching Python to the attract screen's first frame, against a bare window.

Every run is a fresh interpreter. The parent times from Popen to the child printing "ready",
which the child does once its window has been shown and painted. Kiosk and baseline runs
alternate, so a busy moment on the machine hits both alike; the figures to read are the medians
and their ratio, never a single run.

    python bench/startup.py [--runs 7]
"""

import time

STARTED = time.perf_counter()  # the child's own clock starts here, before Qt is imported

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_SIZE = (1920, 1080)  # ui.launch.WINDOW_SIZE; not imported, so the baseline loads no kiosk
FRAME_TIMEOUT_S = 30.0


def _wait_for_paint(app, window) -> None:
    """Turn the event loop until the window has painted (the first frame is on screen)."""
    from PySide6.QtCore import QEvent, QObject

    class Painted(QObject):
        seen = False

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and watched.isWidgetType() \
                    and watched.window() is window:
                Painted.seen = True
            return False

    spy = Painted()
    app.installEventFilter(spy)  # any widget of the window: opaque children hide the window
    deadline = time.perf_counter() + FRAME_TIMEOUT_S
    while not Painted.seen and time.perf_counter() < deadline:
        app.processEvents()
    app.removeEventFilter(spy)
    if not Painted.seen:
        raise SystemExit("the window never painted")


def child_bare() -> None:
    from PySide6.QtWidgets import QApplication, QWidget

    imported = time.perf_counter()
    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setFixedSize(*BARE_SIZE)
    built = time.perf_counter()
    window.show()
    _wait_for_paint(app, window)
    _ready(imported, built)


def child_kiosk() -> None:
    from datetime import date

    from PySide6.QtWidgets import QApplication

    from kiosk.settings import Settings
    from ui.launch import WINDOW_SIZE, demo_kiosk

    imported = time.perf_counter()
    kiosk = demo_kiosk(Settings(idle_timeout_s=3600), today=date(2026, 11, 23))
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    built = time.perf_counter()
    kiosk.window.show()
    _wait_for_paint(QApplication.instance(), kiosk.window)
    if kiosk.current() is not kiosk.attract:
        raise SystemExit(f"started on {type(kiosk.current()).__name__}, not the attract screen")
    _ready(imported, built)


def _ready(imported: float, built: float) -> None:
    shown = time.perf_counter()
    # phases as seen by the child, in seconds: imports, building, first frame
    print(f"ready {imported - STARTED:.4f} {built - imported:.4f} {shown - built:.4f}", flush=True)
    os._exit(0)  # teardown is not part of a start; skip it


def one_run(kind: str) -> tuple[float, list[float]]:
    """Wall time from Popen to "ready", and the child's own phase times."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--child", kind], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, text=True)
    phases = None
    for line in child.stdout:
        if line.startswith("ready"):
            elapsed = time.perf_counter() - start
            phases = [float(x) for x in line.split()[1:]]
            break
    child.wait()
    if phases is None:
        raise SystemExit(f"the {kind} child exited ({child.returncode}) without getting ready")
    return elapsed, phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (default 7)")
    parser.add_argument("--child", choices=("kiosk", "bare"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "kiosk":
        return child_kiosk()
    if args.child == "bare":
        return child_bare()

    import PySide6

    print(f"startup: Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}, "
          f"{os.cpu_count()} cores, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}")
    print(f"{args.runs} runs each, alternating, after one discarded warm-up run each")
    one_run("kiosk")
    one_run("bare")
    times: dict[str, list[float]] = {"kiosk": [], "bare": []}
    phases: dict[str, list[list[float]]] = {"kiosk": [], "bare": []}
    for i in range(args.runs):
        for kind in ("kiosk", "bare") if i % 2 == 0 else ("bare", "kiosk"):
            elapsed, split = one_run(kind)
            times[kind].append(elapsed)
            phases[kind].append(split)
    print()
    print(f"{'':28}{'median':>10}{'worst':>10}   {'imports':>9}{'build':>9}{'1st frame':>11}")
    labels = {"kiosk": "kiosk to attract screen", "bare": "bare QWidget (baseline)"}
    for kind in ("kiosk", "bare"):
        split = [statistics.median(p[i] for p in phases[kind]) for i in range(3)]
        print(f"{labels[kind]:28}{statistics.median(times[kind]):>9.3f}s"
              f"{max(times[kind]):>9.3f}s   " + "".join(
                  f"{s:>{w}.3f}s" for s, w in zip(split, (8, 8, 10), strict=True)))
    ratio = statistics.median(times["kiosk"]) / statistics.median(times["bare"])
    print(f"\nkiosk / bare window (medians): {ratio:.2f}x")
    print("(phases are the child's medians: from its first line to Qt and the kiosk imported, "
          "building the window, showing it until it has painted)")


if __name__ == "__main__":
    main()
