"""What a centre admin meets when writing service files: `check-services` refuses a file that
lacks a language the kiosk offers, names a picture that does not exist, or carries an id other
than its file name (so a copy never knocks out the original); residence can be an eligibility
rule; and the files that were not loaded are named by the diagnostics."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from kiosk.backend.demo import DemoBackend
from kiosk.backend.demo_data import CITIZENS
from kiosk.catalogue import SERVICES_DIR, check_services, load_catalogue, offered_languages
from kiosk.citizen import Citizen, age_on, residence
from kiosk.diagnostics import all_checks, services_check
from kiosk.i18n import written
from kiosk.journey import Journey, Stage
from kiosk.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DAY = date(2026, 11, 23)

SERVICE = """\
id: {id}
title: {{en: Bus pass, zh_CN: 乘车卡}}
summary: {{en: A free bus pass, zh_CN: 免费乘车卡}}
icon: {icon}
needs_identity: true
eligibility:
  - rule: {{field: citizen.district, op: in, value: [朝阳区, 东城区]}}
    reason:
      en: For people who live in Chaoyang or Dongcheng.
      zh_CN: 给住在朝阳区、东城区的老人。
    instead: {{en: "Ask at your own district's centre.", zh_CN: 请到您住的区的服务中心办理。}}
steps:
  - id: collect
    type: choice
    title: {{en: "Where will you collect it?", {collect_zh}}}
    options:
      - value: here
        icon: {option_icon}
        label: {{en: Here, zh_CN: 这里}}
"""


def service(id: str = "bus_pass", icon: str = "bus", option_icon: str = "community_centre",
            collect_zh: str = "zh_CN: 您到哪里取卡？") -> str:
    return SERVICE.format(id=id, icon=icon, option_icon=option_icon, collect_zh=collect_zh)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def citizen(index: int) -> Citizen:
    number, name, birth, address, phone = CITIZENS[index]
    return Citizen(number, name, birth, address, phone, age_on(birth, DAY))


def test_the_sample_file_is_right(tmp_path):
    write(tmp_path, "bus_pass.yaml", service())
    assert check_services(tmp_path) == 0


# --- languages ---------------------------------------------------------------------------


def test_the_kiosk_offers_english_and_chinese_and_cantonese_is_spoken_chinese():
    assert {"en", "zh_CN"} <= set(offered_languages())
    assert "yue" not in offered_languages()  # a dialect reads the zh_CN text aloud
    assert written("yue") == "zh_CN"


def test_a_text_without_chinese_is_refused_by_check_services(tmp_path, capsys):
    write(tmp_path, "bus_pass.yaml", service(collect_zh="fr: Où"))
    assert check_services(tmp_path) == 1
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "bus_pass.yaml, at steps[0].title: the text in zh_CN is missing; every text needs each "
        f"language the kiosk offers ({', '.join(offered_languages())})",
        "0 services loaded",
        "1 file not loaded because of the problems above",
    ]


def test_a_service_without_cantonese_texts_is_complete(tmp_path):
    write(tmp_path, "bus_pass.yaml", service())
    loaded = load_catalogue(tmp_path)
    assert loaded.problems == ()
    assert "yue" not in loaded.get("bus_pass").languages


# --- icons -------------------------------------------------------------------------------


def test_an_unknown_icon_is_refused_where_it_is_named(tmp_path):
    write(tmp_path, "bus_pass.yaml", service(icon="tram", option_icon="kiosk_hall"))
    catalogue = load_catalogue(tmp_path)
    assert catalogue.services == ()
    assert [str(p) for p in catalogue.problems] == [
        "bus_pass.yaml, at icon: there is no picture called 'tram' (no file tram.svg in "
        "assets/icons); use one that exists, or have it drawn first",
        "bus_pass.yaml, at steps[0].options[0].icon: there is no picture called 'kiosk_hall' "
        "(no file kiosk_hall.svg in assets/icons); use one that exists, or have it drawn first",
    ]


def test_every_shipped_icon_name_is_a_picture(tmp_path):
    shutil.copytree(SERVICES_DIR, tmp_path / "services")
    assert load_catalogue(tmp_path / "services").problems == ()


# --- the id is the file's name -----------------------------------------------------------


def test_a_copy_of_a_file_never_knocks_out_the_original(tmp_path):
    """The old loader kept the first file by name: a copy sorted before the original took
    its place. Now the copy is refused whatever its name, and the original loads."""
    folder = tmp_path / "services"
    folder.mkdir()
    original = SERVICES_DIR / "pension_check.yaml"
    shutil.copy(original, folder / "pension_check.yaml")
    copy = original.read_text(encoding="utf-8").replace("养老金", "养老金（新）")
    (folder / "a_pension_check_new.yaml").write_text(copy, encoding="utf-8")
    (folder / "pension_check_2.yaml").write_text(copy, encoding="utf-8")

    catalogue = load_catalogue(folder)
    assert catalogue.ids == ("pension_check",)
    assert catalogue.get("pension_check").source == "pension_check.yaml"
    assert "（新）" not in catalogue.get("pension_check").title.get("zh_CN")
    assert [(p.file, p.path) for p in catalogue.problems] == [
        ("a_pension_check_new.yaml", "id"), ("pension_check_2.yaml", "id")]
    assert catalogue.problems[0].message == (
        "the id 'pension_check' is not the file's name; a service's id and its file name must be "
        "the same: rename the file to pension_check.yaml or write 'id: a_pension_check_new'")


def test_check_services_from_the_command_line_names_the_copy(tmp_path):
    write(tmp_path, "bus_pass.yaml", service())
    write(tmp_path, "bus_pass_copy.yaml", service())
    done = subprocess.run([sys.executable, "main.py", "check-services", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith(
        "bus_pass_copy.yaml, at id: the id 'bus_pass' is not the file's name")
    assert "1 service loaded" in done.stdout


# --- residence ---------------------------------------------------------------------------


@pytest.mark.parametrize(("address", "city", "district"), [
    ("北京市朝阳区幸福路12号3单元401", "北京市", "朝阳区"),
    ("广东省广州市天河区龙口西路8号", "广州市", "天河区"),
    ("河北省保定市涞水县永阳镇", "保定市", "涞水县"),
    ("上海市浦东新区世纪大道100号", "上海市", "浦东新区"),
    ("内蒙古自治区锡林郭勒盟正蓝旗上都镇", "锡林郭勒盟", "正蓝旗"),
    ("江苏省苏州市昆山市前进路", "苏州市", "昆山市"),
    ("12 High Street", "", ""),
])
def test_the_city_and_district_are_read_from_the_address(address, city, district):
    assert residence(address) == (city, district)


def test_residence_is_an_eligibility_rule(tmp_path):
    write(tmp_path, "bus_pass.yaml", service())
    bus_pass = load_catalogue(tmp_path).get("bus_pass")
    chaoyang, tianhe = citizen(0), citizen(1)  # 北京市朝阳区..., 广州市天河区...
    assert chaoyang.facts()["district"] == "朝阳区"

    living_here = Journey(bus_pass, DemoBackend(DAY), chaoyang, today=DAY)
    assert living_here.stage is Stage.STEP
    living_elsewhere = Journey(bus_pass, DemoBackend(DAY), tianhe, today=DAY)
    assert living_elsewhere.stage is Stage.INELIGIBLE
    assert living_elsewhere.ineligible_reasons("zh_CN") == [
        ("给住在朝阳区、东城区的老人。", "请到您住的区的服务中心办理。")]


def test_comparing_the_whole_address_with_a_place_is_explained(tmp_path):
    write(tmp_path, "bus_pass.yaml", service().replace("field: citizen.district",
                                                       "field: citizen.address"))
    (problem,) = load_catalogue(tmp_path).problems
    assert str(problem) == (
        "bus_pass.yaml, at eligibility[0].rule.field: citizen.address is the whole address "
        "(street and number too), so it is never equal to a place; to test where the citizen "
        "lives use citizen.district or citizen.city")


def test_a_district_rule_needs_the_citizens_identity(tmp_path):
    write(tmp_path, "bus_pass.yaml", service().replace("needs_identity: true\n", ""))
    (problem,) = load_catalogue(tmp_path).problems
    assert problem.message == ("'citizen.district' needs the citizen's identity: "
                               "add 'needs_identity: true' to the service")


# --- broken files in diagnose ------------------------------------------------------------


def test_diagnostics_name_the_files_not_loaded(tmp_path):
    write(tmp_path, "bus_pass.yaml", service())
    write(tmp_path, "pass_copy.yaml", service())
    write(tmp_path, "no_pictures.yaml", service(id="no_pictures", icon="tram"))
    check = services_check(load_catalogue(tmp_path))
    assert not check.ok
    assert check.detail.startswith("files not loaded (2), so their services are not offered: "
                                   "no_pictures.yaml, at icon: there is no picture called 'tram'")
    assert "pass_copy.yaml, at id: the id 'bus_pass' is not the file's name" in check.detail
    assert check.detail.endswith("(services loaded: 1)")
    chinese = check.translated("zh_CN")
    assert chinese.name == "服务文件"
    assert chinese.detail.startswith("有 2 个文件有错，没有加载")

    assert services_check(load_catalogue()).ok


def test_diagnose_lists_the_service_files_check(tmp_path):
    broken = load_catalogue(tmp_path / "nowhere")
    checks = all_checks(Settings(data_dir=str(tmp_path), languages=()), token="",
                        hub_url="http://127.0.0.1:9", catalogue=broken)
    (services,) = [c for c in checks if c.key == "diag.services"]
    assert not services.ok
    assert "nowhere: the services folder" in services.detail
