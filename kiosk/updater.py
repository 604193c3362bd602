"""The updater: installs a release the kiosk handed over, starts it, and goes back to the
previous one if it does not start. Run as root by deploy/kiosk-update.service when the
kiosk puts a wheel in the spool's install/ folder (kiosk/update.py), between visits:

    python -m kiosk.updater --spool /var/lib/assisted-kiosk/updates --app /opt/assisted-kiosk

1. The signature is checked again here, with the keys in /etc/assisted-kiosk/release-keys/:
   the kiosk user's word is not enough for root to install anything.
2. A new slot, APP/releases/VERSION: a fresh virtual environment holding the wheel alone. The
   third-party packages are this environment's own (a .pth file lists its site-packages), so
   nothing is downloaded; `pip check` refuses a release that needs a package not here.
3. APP/current (the units run APP/current/bin/assisted-kiosk) switches to the slot at once
   (a symbolic link replaced by rename), and the kiosk is restarted.
4. The start check: the new version must write the spool's `started` mark (its own version,
   once its first screen is up) within --within seconds, and not crash three times first
   (systemd restarts it every two seconds). If it does not, APP/current goes back to the
   previous slot, the kiosk is restarted again, and last.json says so.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Protocol

from kiosk import release
from kiosk.update import FAILED, INSTALLED, REFUSED, ROLLED_BACK, STARTING, Spool

log = logging.getLogger(__name__)

START_WITHIN_S = 120.0


class Kiosk(Protocol):
    """The running kiosk, as the updater sees it."""

    def restart(self) -> None:
        """Stop it and start it again from APP/current."""

    def crashed(self) -> bool:
        """Whether the start since the last restart() has already failed."""


class SystemdKiosk:
    """The appliance's kiosk: whichever of its two units runs (cage or X11)."""

    UNITS = ("assisted-kiosk.service", "assisted-kiosk-x11.service")
    CRASHES = 3  # systemd restarts a kiosk that stops: three times is not a slow start

    def __init__(self) -> None:
        self._restarts_before = 0

    def restart(self) -> None:
        subprocess.run(["systemctl", "try-restart", *self.UNITS], check=False, timeout=120)
        self._restarts_before = self._restarts()

    def crashed(self) -> bool:
        return self._restarts() - self._restarts_before >= self.CRASHES

    def _restarts(self) -> int:
        said = subprocess.run(["systemctl", "show", "--property=NRestarts", "--value",
                               *self.UNITS], capture_output=True, text=True, check=False,
                              timeout=30).stdout
        return sum(int(count) for count in said.split() if count.isdigit())


class Updater:
    def __init__(self, spool: Spool, app: Path, kiosk: Kiosk,
                 keys_folder: Path | None = None, within: float = START_WITHIN_S) -> None:
        self.spool = spool.make()
        self.app = app
        self.releases = app / "releases"
        self.current = app / "current"
        self.kiosk = kiosk
        self.keys_folder = keys_folder
        self.within = within

    def run(self) -> str:
        """Takes the newest wheel handed over (older ones are dropped); the state recorded."""
        wheels = sorted(self.spool.install.glob("*.whl"), key=self._order)
        if not wheels:
            return self.resume()
        *older, wheel = wheels
        for path in older:
            _drop(path)
        signature = wheel.with_name(wheel.name + ".sig")
        try:
            version = release.version_of(wheel.name)
        except release.Refused as refusal:
            _drop(wheel, signature)
            log.warning("%s", refusal)
            return REFUSED
        try:
            data = release.read_private(wheel)
            release.check(data, release.read_private(signature),
                          release.trusted_keys(self.keys_folder))
        except (OSError, release.Refused) as problem:
            reason = problem.reason if isinstance(problem, release.Refused) else "signature"
            self.spool.record(REFUSED, version, reason, str(problem))
            return REFUSED
        finally:
            _drop(wheel, signature)
        return self.install(wheel.name, data)

    @staticmethod
    def _order(wheel: Path):
        from packaging.version import InvalidVersion, Version

        try:
            return Version(release.version_of(wheel.name))
        except (release.Refused, InvalidVersion):
            return Version("0")

    def install(self, name: str, data: bytes) -> str:
        version = release.version_of(name)
        previous = self.current.resolve() if self.current.is_symlink() else None
        slot = self.releases / version
        if previous == slot.resolve():
            return INSTALLED  # it is already the one running
        try:
            self._make_slot(slot, name, data)
        except subprocess.CalledProcessError as problem:
            shutil.rmtree(slot, ignore_errors=True)
            said = (problem.stderr or problem.stdout or "").strip().splitlines()[-3:]
            self.spool.record(FAILED, version, "install", " / ".join(said)[:500])
            return FAILED
        return self._switch(version, slot, previous)

    def resume(self) -> str:
        """An update cut short (the machine lost power while the new version started): its
        start check again, and a rollback if it fails. Run at every boot."""
        last = self.spool.outcome()
        slot = self.releases / str(last.get("version"))
        if last.get("state") != STARTING or not slot.is_dir():
            return ""
        previous = Path(last["previous"]) if last.get("previous") else None
        log.info("the update to %s was cut short: checking its start again", slot.name)
        return self._switch(slot.name, slot, previous)

    def _switch(self, version: str, slot: Path, previous: Path | None) -> str:
        self.spool.record(STARTING, version, previous=str(previous or ""))
        self._point_current(slot)
        if self._started(version):
            self.spool.record(INSTALLED, version, previous=str(previous or ""))
            self._prune(keep=(slot, previous))
            return INSTALLED
        if previous is not None:
            self._point_current(previous)
            back = "the version before started again" if self._started(None) else \
                "the version before did not start either"
        else:
            back = "there was no version before to go back to"
        shutil.rmtree(slot, ignore_errors=True)
        self.spool.record(ROLLED_BACK, version, "start",
                          f"it stopped, or took more than {self.within:g} s to show its "
                          f"first screen; {back}",
                          previous=str(previous or ""))
        return ROLLED_BACK

    def _make_slot(self, slot: Path, name: str, data: bytes) -> None:
        shutil.rmtree(slot, ignore_errors=True)  # what a failed attempt left
        self.releases.mkdir(parents=True, exist_ok=True)
        _run(sys.executable, "-m", "venv", "--without-pip", str(slot))
        python = str(slot / "bin" / "python")
        site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                         "['purelib'])").stdout.strip())
        ours = sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})
        (site / "dependencies.pth").write_text("\n".join(ours) + "\n")
        with tempfile.TemporaryDirectory(prefix="kiosk-release-") as folder:
            wheel = Path(folder) / name  # pip reads the version from the file's name
            wheel.write_bytes(data)
            _run(sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", python,
                 "install", "--no-deps", "--no-index", "--no-compile", str(wheel))
        _run(python, "-m", "compileall", "-q", str(site))  # root's: the kiosk cannot write it
        _run(sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", python,
             "check")

    def _point_current(self, target: Path) -> None:
        link = self.app / ".current.new"
        link.unlink(missing_ok=True)
        link.symlink_to(target)
        os.replace(link, self.current)

    def _started(self, version: str | None) -> bool:
        """Restart the kiosk and wait for its start mark (of `version`; None: any)."""
        self.spool.started.unlink(missing_ok=True)
        self.kiosk.restart()
        deadline = time.monotonic() + self.within
        while time.monotonic() < deadline and not self.kiosk.crashed():
            try:
                said = self.spool.started.read_text(encoding="utf-8").strip()
            except OSError:
                said = None
            if said is not None and (version is None or said == version):
                return True
            time.sleep(0.2)
        return False

    def _prune(self, keep: tuple[Path | None, ...]) -> None:
        """Slots other than the running one and the one before it (a rollback's target)."""
        kept = {path.resolve() for path in keep if path is not None}
        for slot in self.releases.iterdir():
            if slot.is_dir() and slot.resolve() not in kept:
                shutil.rmtree(slot, ignore_errors=True)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), check=True, capture_output=True, text=True, timeout=600)


def _drop(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.updater", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--spool", type=Path, required=True)
    parser.add_argument("--app", type=Path, required=True, help="holds current and releases/")
    parser.add_argument("--keys", type=Path, help="the release keys' folder (default: "
                        f"{release.KEYS_DIR}, env {release.KEYS_ENV})")
    parser.add_argument("--within", type=float, default=START_WITHIN_S,
                        help="seconds the new version has to reach its first screen")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(name)s %(message)s")
    updater = Updater(Spool(args.spool), args.app, SystemdKiosk(), args.keys, args.within)
    state = updater.run()
    print(f"update: {state or 'nothing to install'}")
    return 0 if state in ("", INSTALLED) else 1


if __name__ == "__main__":
    raise SystemExit(main())
