"""The kiosk and the hub as a wheel: built from a clean copy of the sources, installed into a
fresh virtual environment outside the repository, and run from a folder outside it through
their console scripts. Nothing of the checkout is on the path there, so a translation, icon,
service file, API description or hub migration the wheel forgot fails here.

The third-party packages are not downloaded again: a .pth file in the fresh environment lists
this environment's site-packages after its own (a plain path entry: the editable install's
finder there is never run), and `pip check` proves the wheel's requirements are all met.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from hub.seed import DEMO_TOKEN
from hub.testing import HOST, free_port

ROOT = Path(__file__).resolve().parents[2]
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__",
                                     ".pytest_cache", ".hypothesis", ".ruff_cache", "out")


@dataclass
class Installed:
    venv: Path
    cwd: Path  # a folder outside the repository to run from
    env: dict[str, str]

    def script(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(list(args), cwd=self.cwd, env=self.env, capture_output=True,
                              text=True, timeout=timeout)


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                   check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    sources, wheels, venv, cwd = (base / name for name in ("src", "dist", "venv", "elsewhere"))
    shutil.copytree(ROOT, sources, ignore=NOT_SOURCES)  # no stale build/ left in the wheel
    _pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(wheels),
         str(sources))
    [wheel] = wheels.glob("assisted_kiosk-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    python = str(venv / "bin" / "python")
    _pip("--python", python, "install", "--no-deps", "--no-index", str(wheel))
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['purelib'])"], check=True, capture_output=True, text=True
                               ).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    _pip("--python", python, "check")  # every requirement of the wheel is met
    cwd.mkdir()
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(base / "home"),
               XDG_CONFIG_HOME=str(base / "config"), XDG_DATA_HOME=str(base / "data"),
               KIOSK_CONFIG=str(base / "config" / "settings.toml"))
    return Installed(venv, cwd, env)


def test_the_installed_packages_find_their_files_in_the_wheel(installed):
    """Imported from the fresh environment, never from the checkout; every shipped folder is
    there and is the repository's, file for file."""
    probe = ("import kiosk, ui, hub\n"
             "from kiosk.resources import resource\n"
             "for module in (kiosk, ui, hub): print(module.__file__)\n"
             "print(resource())\n")
    shown = installed.run(installed.script("python"), "-c", probe)
    assert shown.returncode == 0, shown.stderr
    *modules, shipped = shown.stdout.splitlines()
    assert all(Path(m).is_relative_to(installed.venv) for m in modules), modules
    assert Path(shipped) == Path(modules[0]).parent / "shipped"
    for folder in ("i18n", "assets", "docs/api"):
        if folder == "docs/api":
            names = ["openapi.yaml"]
        else:
            names = [str(p.relative_to(ROOT / folder)) for p in (ROOT / folder).rglob("*")
                     if p.is_file()]
        assert names
        for name in names:
            assert (Path(shipped) / folder / name).read_bytes() == \
                (ROOT / folder / name).read_bytes(), f"{folder}/{name}"


def test_the_console_script_checks_the_services_and_tours_every_screen(installed, tmp_path):
    checked = installed.run(installed.script("assisted-kiosk"), "check-services")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    services = [p for p in (ROOT / "assets" / "services").iterdir() if p.suffix == ".yaml"]
    assert f"{len(services)} services loaded" in checked.stdout

    out = tmp_path / "tour"
    toured = installed.run(installed.script("assisted-kiosk"), "tour", "--out", str(out),
                           "--size", "normal", timeout=600)
    assert toured.returncode == 0, toured.stderr[-3000:]
    for lang in ("en", "zh_CN"):
        pictures = sorted((out / lang).glob("*.png"))
        assert len(pictures) > 20, lang
        assert all(p.read_bytes().startswith(b"\x89PNG") for p in pictures)
    assert "Traceback" not in toured.stderr


def test_the_hub_console_script_migrates_and_serves_from_the_wheel(installed, tmp_path):
    port = free_port()
    log = tmp_path / "hub.log"
    with log.open("wb") as output:
        hub = subprocess.Popen(
            [installed.script("assisted-kiosk-hub"), "--demo", "--port", str(port),
             "--data-dir", str(tmp_path / "hub")],
            cwd=installed.cwd, env=installed.env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    try:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {DEMO_TOKEN}"
        catalogue = _first_answer(session, f"{url}/v1/catalogue", hub, log)
        assert catalogue.status_code == 200, catalogue.text
        shipped = {p.stem for p in (ROOT / "assets" / "services").glob("*.yaml")}
        assert {service["id"] for service in catalogue.json()["services"]} == shipped
        described = session.get(f"{url}/openapi.yaml", timeout=30)
        assert described.status_code == 200
        assert described.content == (ROOT / "docs" / "api" / "openapi.yaml").read_bytes()
    finally:
        hub.terminate()
        hub.wait(timeout=30)
    assert "Running upgrade" in log.read_text()  # the migrations came from the wheel


def _first_answer(session: requests.Session, url: str, process: subprocess.Popen,
                  log: Path) -> requests.Response:
    """The first answer of a hub that is starting (it migrates and seeds first)."""
    deadline = time.monotonic() + 120
    while True:
        try:
            return session.get(url, timeout=30)
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the installed hub did not start:\n{log.read_text()}")
            time.sleep(0.1)
