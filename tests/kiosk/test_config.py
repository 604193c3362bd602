"""The settings file: every setting kept, bad values refused in plain words, and a broken
file never stops the kiosk."""

import os
import tomllib
from dataclasses import replace

import pytest

from kiosk import config, credentials
from kiosk.config import FIELDS, SettingError
from kiosk.settings import Settings

SERVICES = ("pension_check", "residence_permit", "medical_claim")

# A value other than the default for every setting on the admin screen.
CHANGED = {
    "centre_name": "Dongshan Community Centre 东山社区服务中心",
    "kiosk_id": "centre-12-a",
    "hub_url": "https://hub.example.org/kiosks",
    "offline_policy": "offline",
    "sync_every_s": 300,
    "services": ("pension_check", "medical_claim"),
    "languages": ("en",),
    "default_language": "en",
    "default_text_size": "largest",
    "theme": "high_contrast",
    "speech_rate": "slow",
    "speech_volume": 5,
    "headset_fitted": True,
    "idle_timeout_s": 600,
    "printer": "HP_LaserJet_Front_Desk",
    "card_reader": "pcsc",
}

# For every setting: a value the admin might type by mistake, and what they are told.
MISTAKES = {
    "centre_name": ("   ", "Please enter the centre's name."),
    "kiosk_id": ("centre 12", "no spaces"),
    "hub_url": ("hub.example.org", "starting with https://"),
    "offline_policy": ("sometimes", "Please choose one of: automatic, offline, online."),
    "sync_every_s": (2, "Please enter a number of seconds from 5 to 3600."),
    "services": (["passport"], "\"passport\" is not a service this kiosk knows."),
    "languages": ([], "Please choose at least one language."),
    "default_language": ("fr", "Please choose one of: en, zh_CN."),
    "default_text_size": ("huge", "Please choose one of: normal, large, largest."),
    "theme": ("pink", "Please choose one of: standard, high_contrast."),
    "speech_rate": ("very fast", "Please choose one of: slow, normal, fast."),
    "speech_volume": (9, "Please enter a number from 1 to 5."),
    "headset_fitted": ("yes", "Please write true (on) or false (off)."),
    "idle_timeout_s": (10, "Please enter a number of seconds from 30 to 600."),
    "printer": ("Front\ndesk", "Please keep this on one line."),
    "card_reader": ("nfc", "Please choose one of: none, pcsc."),
}


@pytest.fixture
def path(tmp_path, monkeypatch):
    where = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("KIOSK_CONFIG", str(where))
    return where


def test_the_settings_file_is_where_kiosk_config_says(path):
    assert config.config_path() == path


def test_every_setting_is_saved_and_read_back(path):
    assert set(CHANGED) == {spec.name for spec in FIELDS}  # a new setting needs a value here
    wanted = replace(Settings(), **CHANGED)
    assert all(getattr(wanted, name) != getattr(Settings(), name) for name in CHANGED)
    config.save(wanted)
    loaded = config.load(services=SERVICES)
    assert loaded.problems == []
    assert loaded.settings == wanted


def test_a_missing_file_means_the_standard_settings_and_no_problem(path):
    assert config.load() == config.Loaded(Settings(), [])


@pytest.mark.parametrize("name", list(MISTAKES))
def test_every_setting_refuses_a_bad_value_in_plain_words(path, name):
    bad, told = MISTAKES[name]
    with pytest.raises(SettingError) as refused:
        config.parse(name, bad, SERVICES if name == "services" else None)
    assert told in str(refused.value)
    assert refused.value.text("zh_CN") != str(refused.value)  # in the admin's language too

    # The same mistake made by hand in the file: the kiosk starts, on the default for it.
    path.parent.mkdir()
    text = f'{name} = {_toml(bad)}\ntheme = "high_contrast"\n' if name != "theme" else \
        f'{name} = {_toml(bad)}\n'
    path.write_text(text, encoding="utf-8")
    loaded = config.load(services=SERVICES)
    assert getattr(loaded.settings, name) == getattr(Settings(), name)
    if name != "theme":
        assert loaded.settings.theme == "high_contrast"  # the good values are still used
    assert [problem for problem in loaded.problems if told in problem]
    assert any(name in problem and "standard setting" in problem for problem in loaded.problems)


def _toml(value):
    import tomli_w

    return tomli_w.dumps({"v": value}).removeprefix("v = ").strip()


def test_what_the_admin_types_on_screen_is_understood():
    assert config.parse("idle_timeout_s", " 45 ") == 45
    assert config.parse("hub_url", "  ") == ""  # empty: the built-in demo
    assert config.parse("printer", "PDF") == "pdf"
    thermal = "escpos+tcp://192.0.2.7:9100?width=58"
    assert config.parse("printer", f" {thermal} ") == thermal
    for wrong in ("escpos+tcp://:9100", "escpos+usb://epson", "escpos+tcp://p?width=60",
                  "escpos+serial://ttyUSB0", "escpos+lpt://x"):
        with pytest.raises(config.SettingError, match="receipt printer address is not right"):
            config.parse("printer", wrong)
    assert config.parse("services", list(SERVICES), SERVICES) == ()  # all: every service
    assert config.parse("languages", ["en", "en", "zh_CN"]) == ("en", "zh_CN")
    with pytest.raises(SettingError, match='"passport" is not a service this kiosk knows'):
        config.parse("services", ["passport"], SERVICES)


def test_the_start_language_must_be_offered():
    settings = replace(Settings(), languages=("en",), default_language="zh_CN")
    assert [str(e) for e in config.conflicts(settings)] == [
        "The language at the start must be one of the languages offered."]


def test_a_hand_broken_file_starts_the_kiosk_on_defaults_and_names_the_line(path):
    path.parent.mkdir()
    path.write_text('centre_name = "Dongshan"\nkiosk_id = "centre-12-a"\ntheme = high contrast\n',
                    encoding="utf-8")
    loaded = config.load()
    assert loaded.settings == Settings()
    [problem] = loaded.problems
    assert "settings.toml could not be read: there is a mistake on line 3" in problem
    assert "第 3 行" in problem.text("zh_CN")


def test_a_file_that_is_not_text_is_set_aside_and_the_kiosk_needs_staff(path):
    path.parent.mkdir()
    garbage = os.urandom(64) + b"\xff\xfe"
    path.write_bytes(garbage)
    loaded = config.load()
    assert loaded.settings == Settings()
    assert loaded.problems == ["settings.toml could not be opened. The kiosk shows \"needs a "
                               "member of staff\" until the settings are saved on the admin "
                               "screen."]
    assert loaded.needs_staff == loaded.problems[0]  # never the demo
    [moved] = path.parent.glob("settings.toml.damaged-*")
    assert moved.read_bytes() == garbage and not path.exists()
    again = config.load()  # the next start: still no settings, and it knows why
    assert again.needs_staff is not None and "set aside" in again.needs_staff
    config.save(Settings(hub_url="https://hub.example.org"))  # the admin saves settings
    assert config.load().needs_staff is None


@pytest.mark.parametrize("text, needs_staff", [
    ("", True),  # empty: which hub?
    ('centre_name = "Dongshan"\n', True),  # cut short before the hub address
    ("hub_url = 5\n", True),  # a wrong type
    ('hub_url = "not an address"\n', True),
    ('hub_url = "https://hub.example.org"\nkiosk_id = "no spaces allowed"\n', True),
    ('hub_url = ""\n', False),  # the demo, chosen on purpose
    ('hub_url = "https://hub.example.org"\ntheme = "pink"\n', False),  # a small mistake
])
def test_a_kiosk_that_cannot_tell_its_hub_needs_staff(path, text, needs_staff):
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    assert (config.load().needs_staff is not None) is needs_staff


def test_no_settings_file_at_all_is_a_fresh_demo(path):
    assert config.load().needs_staff is None


def test_an_unknown_setting_is_ignored_and_reported(path):
    path.parent.mkdir()
    path.write_text('centre_name = "Dongshan"\ncolour = "blue"\nlanguages = ["en", "fr"]\n'
                    'default_language = "en"\n', encoding="utf-8")
    loaded = config.load()
    assert loaded.settings.centre_name == "Dongshan"
    assert loaded.settings.languages == ("en",)  # the unknown language alone is left out
    assert loaded.problems == [
        'settings.toml: "colour" is not a setting this kiosk knows, so it was ignored.',
        'settings.toml, languages (Languages offered): "fr" is not a language this kiosk '
        "knows. It was left out."]


def test_the_file_is_readable_toml_that_never_holds_the_token(path, memory_keyring):
    credentials.save_token("centre-12-a", "s3cret-token-7Qx")
    config.save(replace(Settings(), kiosk_id="centre-12-a", hub_url="https://hub.example.org"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Settings of this assisted-service kiosk")
    assert "The hub token is not in this file" in text
    assert "s3cret-token-7Qx" not in text and "token =" not in text
    assert "# Time without a touch before the warning (seconds): a whole number from 30 to " \
           "600 seconds\nidle_timeout_s = 120\n" in text
    assert set(tomllib.loads(text)) == {spec.name for spec in FIELDS}
    assert os.listdir(path.parent) == ["settings.toml"]  # no temporary file left behind


def test_saving_again_replaces_the_file_whole(path):
    config.save(replace(Settings(), centre_name="First"))
    config.save(replace(Settings(), centre_name="Second"))
    assert config.load().settings.centre_name == "Second"
