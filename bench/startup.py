"""Cold start: from launching Python to the kiosk's first painted screen, as main.py runs it,
against a bare PySide6 window that shows one Chinese label.

Every run is a fresh interpreter. The parent times from Popen to the child printing "ready",
which the child does on the first paint of the window. The kiosk child runs `main.py
--windowed` (ui.cli.main: the settings file, the embedded demo hub, the voice) in data and
config folders of its own, with no settings file (a fresh install: the embedded demo), and
checks that the screen painted is the welcome screen. With `--services 200` (default 7 and
200) the kiosk keeps a catalogue of that many services from its hub, as a region's kiosk would.
Sound goes to a private PulseAudio server with a null sink, so the voice is on as on a kiosk.
Runs alternate, so a busy moment on the machine hits all alike; read the medians and their
ratio, never a single run.

    python bench/startup.py [--runs 7] [--services 7 --services 200]
"""

import time

STARTED = time.perf_counter()  # the child's own clock starts here, before Qt is imported

import argparse  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BARE_SIZE = (1920, 1080)  # ui.launch.WINDOW_SIZE; not imported, so the baseline loads no kiosk
BARE_TEXT = "请触摸屏幕开始"  # "touch the screen to start"
FRAME_TIMEOUT_S = 30.0


def _on_first_paint(app, is_ours) -> None:
    """Print "ready" and exit on the first paint of a window `is_ours` accepts."""
    from PySide6.QtCore import QEvent, QObject

    class Painted(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and watched.isWidgetType() \
                    and is_ours(watched.window()):
                _ready()
            return False

    app._spy = Painted()  # kept alive with the app
    app.installEventFilter(app._spy)  # any widget of the window: opaque children hide it


def child_bare() -> None:
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    label = QLabel(BARE_TEXT)
    font = QFont()
    font.setFamilies(["Noto Sans CJK SC"])
    font.setPixelSize(64)
    label.setFont(font)
    label.setFixedSize(*BARE_SIZE)
    _on_first_paint(app, lambda window: window is label)
    label.show()
    app.exec()
    raise SystemExit("the window never painted")


def child_main() -> None:
    """What `python main.py --windowed` runs, in the order it runs it. The paint is watched
    from KioskWindow.show() on (a filter costs a call per event), patched in as ui.window
    loads, so that nothing is imported here before main.py would import it."""
    import importlib.util  # not importlib.abc: it loads importlib.resources, which main.py does not

    def patch(module) -> None:
        shown = module.KioskWindow.show

        def show(window) -> None:
            from PySide6.QtWidgets import QApplication

            _on_first_paint(QApplication.instance(), lambda w: _welcome(w, window))
            shown(window)

        module.KioskWindow.show = show

    class Watch:  # a meta path finder is any object with find_spec
        def find_spec(self, name, path, target=None):
            if name != "ui.window":
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            run = spec.loader.exec_module

            def exec_module(module) -> None:
                run(module)
                patch(module)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, Watch())
    from ui.cli import main

    main(["--windowed"])
    raise SystemExit("the kiosk never painted")


def _welcome(painted, window) -> bool:
    if painted is not window:
        return False
    kiosk = window.kiosk
    if kiosk.current() is not kiosk.attract:
        raise SystemExit(f"painted {type(kiosk.current()).__name__}, not the welcome screen")
    return True


def _ready() -> None:
    cpu = os.times()
    print(f"ready {time.perf_counter() - STARTED:.4f} {cpu.user + cpu.system:.4f}", flush=True)
    os._exit(0)  # teardown is not part of a start; skip it


def one_run(kind: str, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall time from Popen to "ready", the child's own time to it and its CPU time (user and
    system: what a busy machine changes least)."""
    env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed kiosk has its bytecode compiled
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--child", kind], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    own = cpu = None
    for line in child.stdout:
        if line.startswith("ready"):
            elapsed = time.perf_counter() - start
            own, cpu = (float(x) for x in line.split()[1:3])
            break
    child.kill()
    child.wait()
    if own is None:
        raise SystemExit(f"the {kind} child exited ({child.returncode}) without getting ready")
    return elapsed, own, cpu


class KioskHome:
    """A kiosk's own data and config folders, with `services` in the catalogue it keeps."""

    def __init__(self, root: Path, services: int) -> None:
        self.root = root / f"kiosk-{services}"
        self.services = services
        self.env = {"XDG_DATA_HOME": str(self.root / "data"),
                    "XDG_CONFIG_HOME": str(self.root / "config"),
                    "KIOSK_CONFIG": ""}

    def prepare(self) -> None:
        """Before each run: the hub's catalogue as the kiosk last fetched it (the shipped one
        for 7: a fresh install loads the shipped files)."""
        cache = self.root / "data" / "assisted-kiosk" / "embedded" / "catalogue"
        shutil.rmtree(cache, ignore_errors=True)
        if self.services != 7:
            from many_services import write_services

            write_services(cache, self.services)


@contextlib.contextmanager
def sound():
    """A null-sink sound server, so the voice starts as on a kiosk; none if not installed."""
    try:
        from tests.null_sink import null_sound_server

        with null_sound_server():
            yield "voice on (PulseAudio null sink)"
    except RuntimeError as problem:
        yield f"voice without sound output ({problem})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (default 7)")
    parser.add_argument("--services", type=int, action="append",
                        help="services in the kiosk's catalogue (default: 7 and 200)")
    parser.add_argument("--child", choices=("main", "bare"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "main":
        return child_main()
    if args.child == "bare":
        return child_bare()

    import PySide6

    counts = args.services or [7, 200]
    root = Path(tempfile.mkdtemp(prefix="kiosk-startup-"))
    homes = {f"main.py, {n} services": KioskHome(root, n) for n in counts}
    kinds = ["bare", *homes]
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    own: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    try:
        with sound() as voice:
            print(f"startup: Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}, "
                  f"{os.cpu_count()} cores, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}, "
                  f"{voice}, load {os.getloadavg()[0]:.1f}")
            print(f"{args.runs} runs each, alternating, after one discarded warm-up run each")
            for i in range(args.runs + 1):
                for kind in kinds if i % 2 == 0 else reversed(kinds):
                    home = homes.get(kind)
                    if home is not None:
                        home.prepare()
                    elapsed, mine, used = one_run("main" if home else "bare",
                                                  home.env if home else {})
                    if i:  # the first round warms up
                        times[kind].append(elapsed)
                        own[kind].append(mine)
                        cpu[kind].append(used)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    bare = statistics.median(times["bare"])
    bare_cpu = statistics.median(cpu["bare"])
    print(f"\n{'first painted screen':32}{'median':>9}{'worst':>9}{'in child':>10}{'ratio':>8}"
          f"{'CPU':>9}{'ratio':>8}")
    for kind in kinds:
        label = "bare window, one Chinese label" if kind == "bare" else kind
        median = statistics.median(times[kind])
        used = statistics.median(cpu[kind])
        print(f"{label:32}{median:>8.3f}s{max(times[kind]):>8.3f}s"
              f"{statistics.median(own[kind]):>9.3f}s{median / bare:>7.2f}x"
              f"{used:>8.3f}s{used / bare_cpu:>7.2f}x")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}. ratio: median against the bare "
          "window's median; 'in child': from the child's first line to the paint; CPU: the "
          "child's user and system time to the paint (its own threads included)")


if __name__ == "__main__":
    main()
