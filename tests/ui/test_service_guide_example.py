"""The complete example of docs/service-format.md, taken from the guide as a centre admin would
copy it, loaded by the kiosk and walked by tapping: a resident of the district gets through to
the confirmation, hearing an option's `say`; someone from another district is told why not. And
a file that was not loaded is named on the admin's Diagnostics tab."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.catalogue import load_catalogue
from kiosk.identity import DemoCardReader
from kiosk.journey import Stage
from kiosk.settings import Settings
from tests.conftest import DAY, ELDEST, YOUNGER

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "service-format.md"


def guide_example() -> str:
    return GUIDE.read_text(encoding="utf-8").split("```yaml\n")[1].split("```")[0]


@pytest.fixture
def bus_kiosk(qtbot, tmp_path):
    from ui.app import Kiosk
    from ui.composition import demo_ports
    from ui.launch import WINDOW_SIZE, qt_app

    qt_app()
    folder = tmp_path / "services"
    folder.mkdir()
    (folder / "bus_pass.yaml").write_text(guide_example(), encoding="utf-8")
    catalogue = load_catalogue(folder)
    assert catalogue.problems == ()
    kiosk = Kiosk(Settings(idle_timeout_s=3600, data_dir=str(tmp_path / "data")),
                  demo_ports(DAY), catalogue, DemoCardReader(), today=DAY)
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    yield kiosk
    kiosk.shutdown()


SAID = {"en": ("At the bus station, next to the ticket office", "At the bus station"),
        "zh_CN": ("公交站，售票处旁边", "公交站")}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_guides_example_walks_to_its_confirmation(bus_kiosk, lang):
    from ui.walker import Walker

    walker = Walker(bus_kiosk)
    walker.begin(lang)
    walker.open_service("bus_pass")
    walker.identify_by_card(ELDEST)  # aged 85, lives in 北京市朝阳区
    journey = bus_kiosk.session.journey
    assert journey.current.id == "collect"
    said = bus_kiosk.question.script(lang)
    say, label = SAID[lang]
    assert say in said and label not in said  # the option's `say`, not its label

    answers = {"collect": "bus_station", "companion": True}
    while journey.stage is Stage.STEP:
        walker.answer_current(answers)
    assert journey.stage is Stage.REVIEW
    walker.tap("next")
    (filed,) = [s for s, _ in bus_kiosk.session.backend.submissions.values()]
    assert filed.service_id == "bus_pass"
    assert filed.answers["collect"] == "bus_station"
    assert filed.answers["companion_name"]  # shown only after "yes", and answered
    assert bus_kiosk.current() is bus_kiosk.confirmation


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_someone_from_another_district_is_told_before_any_question(bus_kiosk, lang):
    from ui.walker import Walker

    walker = Walker(bus_kiosk)
    walker.begin(lang)
    walker.open_service("bus_pass")
    walker.identify_by_card(YOUNGER)  # aged 72, lives in 广州市天河区
    assert bus_kiosk.session.journey.stage is Stage.INELIGIBLE
    assert bus_kiosk.current() is bus_kiosk.ineligible
    reason = {"en": "This bus pass is for people who live in Chaoyang or Dongcheng.",
              "zh_CN": "这个乘车卡是给住在朝阳区、东城区的老人办的。"}[lang]
    assert reason in bus_kiosk.ineligible.script(lang)
    assert bus_kiosk.session.journey.answers == {}


def test_files_not_loaded_are_named_on_the_diagnostics_tab(bus_kiosk, qtbot, tmp_path):
    from ui.admin.diagnostics_view import DiagnosticsView

    folder = tmp_path / "services"
    (folder / "bus_pass_copy.yaml").write_text(guide_example(), encoding="utf-8")
    bus_kiosk.catalogue = load_catalogue(folder)  # as the kiosk would load it at its start
    view = DiagnosticsView(bus_kiosk)
    qtbot.addWidget(view)
    view.retranslate("en")
    view.refresh()
    qtbot.waitUntil(lambda: view.runs == 1, timeout=30000)
    rows = {name: (mark, detail) for mark, name, detail in view.shown()}
    mark, detail = rows["Service files"]
    assert mark == "⚠ Problem"
    assert "bus_pass_copy.yaml, at id: the id 'bus_pass' is not the file's name" in detail
    view.retranslate("zh_CN")
    rows = {name: (mark, detail) for mark, name, detail in view.shown()}
    assert rows["服务文件"][1].startswith("有 1 个文件有错，没有加载")


def test_files_not_loaded_are_at_the_top_of_the_admin_settings(bus_kiosk, tmp_path):
    """The admin screen's notice counts them as soon as the admin signs in."""
    from ui.walker import Walker

    folder = tmp_path / "services"
    (folder / "bus_pass_copy.yaml").write_text(guide_example(), encoding="utf-8")
    bus_kiosk.catalogue = load_catalogue(folder)
    bus_kiosk.admin.signed_in()
    walker = Walker(bus_kiosk)
    if bus_kiosk.admin.lang != "en":
        walker.tap("admin-language")
    notice = bus_kiosk.admin.screen.notice
    assert notice.isVisible() and "(1)" in notice.text()
    listed = walker.visible("settings-problems").text()
    assert listed.startswith("A service file was not loaded, so its service is not offered: "
                             "bus_pass_copy.yaml, at id: the id 'bus_pass' is not the file's name")
