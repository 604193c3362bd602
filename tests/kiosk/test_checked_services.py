"""A catalogue that did not change is not checked again; one that changed, is."""

import json

import pytest

from kiosk import catalogue as catalogue_module
from kiosk.catalogue import load_catalogue
from kiosk.checked_services import FILE_NAME

SHIPPED = catalogue_module.SERVICES_DIR


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "assisted-kiosk" / FILE_NAME


def copy_of(folder, *names):
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes((SHIPPED / name).read_bytes())
    return folder


def no_schema_check(monkeypatch):
    def refused(data):
        raise AssertionError("checked again")
    monkeypatch.setattr(catalogue_module, "schema_problems", refused)


def test_an_unchanged_catalogue_is_not_checked_again(tmp_path, cache_home, monkeypatch):
    folder = copy_of(tmp_path / "services", "pension_check.yaml", "pay_bill.yaml")
    first = load_catalogue(folder)
    assert set(first.ids) == {"pension_check", "pay_bill"}
    assert cache_home.is_file()
    no_schema_check(monkeypatch)
    assert load_catalogue(folder) == first


def test_a_changed_file_is_checked_again(tmp_path, cache_home, monkeypatch):
    folder = copy_of(tmp_path / "services", "pension_check.yaml")
    assert load_catalogue(folder).ids == ("pension_check",)
    path = folder / "pension_check.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("icon: pension", "icon: 42"),
                    encoding="utf-8")
    changed = load_catalogue(folder)
    assert changed.ids == ()
    assert [p.path for p in changed.problems] == ["icon"]
    no_schema_check(monkeypatch)  # the bad file's problems are remembered too
    assert load_catalogue(folder) == changed


def test_a_damaged_record_is_ignored_and_written_anew(tmp_path, cache_home):
    folder = copy_of(tmp_path / "services", "pension_check.yaml")
    cache_home.parent.mkdir(parents=True)
    cache_home.write_bytes(b"\x00garbage{")
    assert load_catalogue(folder).ids == ("pension_check",)
    assert len(json.loads(cache_home.read_bytes())) == 1


def test_a_record_that_says_otherwise_is_not_believed_for_another_file(tmp_path, cache_home):
    """The record is keyed by the file's bytes: a good file's outcome is never used for a
    file that differs by one byte."""
    folder = copy_of(tmp_path / "services", "pension_check.yaml")
    load_catalogue(folder)
    path = folder / "pension_check.yaml"
    path.write_bytes(path.read_bytes() + b"\nid: twice\n")
    assert load_catalogue(folder).ids == ()
