"""The admin's diagnostics say plainly what is missing, with the real engine and data."""

import dataclasses
import os
import shutil
import socket
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hub.testing import running_hub
from kiosk import credentials, diagnostics
from kiosk.diagnostics import (
    all_checks,
    disk_check,
    fonts_check,
    hub_check,
    keyring_check,
    printer_check,
    reading_check,
    report,
    speech_checks,
    sync_checks,
    verdict,
)
from kiosk.files import repairs
from kiosk.i18n import languages
from kiosk.secret_file import FILE_NAME, SealedFileKeyring
from kiosk.settings import Settings
from kiosk.speech.synth import Synthesiser
from kiosk.sync.outbox import Outbox


def espeak_data() -> Path:
    """Where espeak-ng keeps its voices, as it says itself ("... Data at: /usr/lib/...")."""
    said = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True).stdout
    return Path(said.split("Data at:")[1].strip())


@pytest.fixture(scope="module")
def espeak_without_cantonese(tmp_path_factory) -> Path:
    """A copy of espeak-ng's data with the Cantonese voice taken out: set ESPEAK_DATA_PATH."""
    root = tmp_path_factory.mktemp("espeak")
    data = root / "espeak-ng-data"
    shutil.copytree(espeak_data(), data)
    for voice in (data / "lang" / "sit").glob("yue*"):
        voice.unlink()
    return root


@pytest.fixture(scope="module")
def hub():
    with running_hub() as running:
        yield running


def closed_port() -> int:
    """A loopback port nobody listens on: bound, then let go."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def by_key(checks):
    return {c.name: c for c in checks}


def test_all_voices_found_with_espeak_installed():
    synth = Synthesiser()
    checks = by_key(speech_checks(synth))
    synth.close()
    assert checks["Speech engine"].ok
    assert checks["Voice for 中文"].ok and checks["Voice for English"].ok
    assert checks["Voice for 粤语"].ok
    assert checks["How 中文 is spoken"].ok and checks["How 粤语 is spoken"].ok
    assert "How English is spoken" not in checks  # the reading check is for Chinese voices


def test_a_voice_that_reads_chinese_as_english_is_a_problem(monkeypatch):
    """The kiosk's Mandarin voice pointed at sit/cmn (espeak-ng issue 1236): installed and
    working, and it says 办好了 as "ban four, hao three, le five". That is a problem."""
    old = [dataclasses.replace(lang, voice="sit/cmn") if lang.code == "zh_CN" else lang
           for lang in languages()]
    monkeypatch.setattr(diagnostics, "languages", lambda: tuple(old))
    synth = Synthesiser()
    checks = speech_checks(synth)
    synth.close()
    found = by_key(checks)
    assert found["Voice for 中文"].ok  # the voice is there ...
    reading = found["How 中文 is spoken"]  # ... and speaks English
    assert not reading.ok
    assert reading.detail.startswith("the voice sit/cmn reads Chinese characters as English")
    assert "sit/cmn-latn-pinyin" in reading.detail
    assert found["How 粤语 is spoken"].ok
    assert "PROBLEM  How 中文 is spoken: the voice sit/cmn reads" in report(checks)
    shown = reading.translated("zh_CN")
    assert shown.name == "中文读音"
    assert shown.detail.startswith("语音 sit/cmn 把汉字念成英文字母和数字")
    assert verdict("zh_CN", shown.ok) == "有问题"


def test_a_voice_that_cannot_be_read_is_a_problem_in_plain_words():
    check = reading_check("中文", "sit/no-such-voice", "办好了。")
    assert not check.ok
    assert check.detail == ("could not check how the voice sit/no-such-voice reads Chinese: "
                            "espeak-ng has no voice sit/no-such-voice")


def test_a_missing_cantonese_voice_is_reported(espeak_without_cantonese, monkeypatch):
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(espeak_without_cantonese))  # the engine reads it
    synth = Synthesiser()
    checks = by_key(speech_checks(synth))
    synth.close()
    assert checks["Voice for 中文"].ok
    assert not checks["Voice for 粤语"].ok
    assert "sit/yue is missing" in report(list(checks.values()))
    assert checks["How 中文 is spoken"].ok and "How 粤语 is spoken" not in checks


def test_no_sound_output_is_reported_in_plain_words(monkeypatch):
    """These machines have no sound card; with no sound server either, nothing can play."""
    monkeypatch.setenv("PULSE_SERVER", "unix:/nonexistent/socket")
    synth = Synthesiser()
    checks = by_key(speech_checks(synth))
    synth.close()
    sound = checks["Sound output"]
    assert not sound.ok and "shows the words instead" in sound.detail


def test_diagnostics_report_a_missing_voice_and_an_unreachable_hub(
        espeak_without_cantonese, monkeypatch, tmp_path):
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(espeak_without_cantonese))
    url = f"http://127.0.0.1:{closed_port()}"
    checks = all_checks(Settings(data_dir=str(tmp_path)), token="demo-token", hub_url=url,
                        printers=([], ""))
    found = by_key(checks)
    assert not found["Voice for 粤语"].ok and found["Voice for 中文"].ok
    hub = found["Connection to the hub"]
    assert not hub.ok
    assert hub.detail.startswith(f"cannot reach the hub at {url}")
    assert found["Receipt printer"].ok  # no printer: receipts become PDFs, as they should
    shown = {c.name: c for c in (c.translated("zh_CN") for c in checks)}  # the admin screen
    assert shown["语音（粤语）"].detail == "缺少语音 sit/yue（请安装 espeak-ng）"
    assert shown["与服务中心的连接"].detail.startswith(f"无法连接位于 {url} 的服务中心")
    assert verdict("zh_CN", hub.ok) == "有问题"


def test_a_running_hub_is_reached_and_its_round_trip_measured(hub):
    check = hub_check(hub.url, hub.token)
    assert check.ok, check.detail
    assert check.params["ms"] >= 1
    assert check.detail == f"{hub.url} answered in {check.params['ms']} ms"


def test_a_token_the_hub_does_not_know_is_named(hub):
    check = hub_check(hub.url, "not-this-kiosks-token")
    assert not check.ok
    assert "does not know this kiosk's token" in check.detail
    assert "没有保存令牌" in hub_check(hub.url, "").translated("zh_CN").detail


def test_no_hub_address_means_the_built_in_demo_hub():
    assert hub_check("", "").ok
    assert not hub_check("hub.example.org", "t").ok  # no https://: not a web address


def test_fonts_that_show_chinese_are_found():
    """fonts-noto-cjk is installed here, as kiosk.sh installs it on every kiosk."""
    check = fonts_check()
    assert check.ok, check.detail
    assert check.params["family"] == "Noto Sans CJK SC"


def test_no_chinese_font_is_a_problem(tmp_path, monkeypatch):
    empty = tmp_path / "fonts.conf"  # fontconfig with no font folders: what a bare box has
    empty.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                     f"<fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>\n")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    check = fonts_check()
    assert not check.ok
    assert check.detail == "Chinese text cannot be shown: install fonts-noto-cjk"


def test_a_printer_is_a_problem_only_when_the_chosen_one_is_missing():
    assert printer_check([], "", "").ok  # none at all: a PDF receipt
    assert "saved as PDF" in printer_check([], "", "").detail
    assert printer_check(["Desk", "Hall"], "Hall", "").detail == "receipts print on Hall"
    assert printer_check(["Desk"], "", "pdf").ok
    assert printer_check(["Desk", "Hall"], "Hall", "Desk").ok
    missing = printer_check(["Hall"], "Hall", "Desk")
    assert not missing.ok and "Desk" in missing.detail


def test_little_disk_space_is_a_problem(tmp_path):
    folder = tmp_path / "not-made-yet"  # the data folder before the first start
    assert disk_check(folder, min_free_mb=1).ok
    low = disk_check(folder, min_free_mb=10**9)  # a petabyte: more than any disk here
    assert not low.ok and "at least" in low.detail


def test_items_waiting_for_a_day_with_nothing_sent_are_a_problem(tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    now = datetime.now(UTC)
    try:
        assert all(c.ok for c in sync_checks(outbox, now=now))  # nothing waits
        outbox.put("fresh", "pension-check", now.isoformat(), b"sealed", None)
        sync, refused = sync_checks(outbox, now=now)
        assert sync.ok and sync.params["waiting"] == 1 and refused.ok
        outbox.put("old", "pension-check", (now - timedelta(days=2)).isoformat(), b"sealed",
                   None)
        outbox.quarantine("fresh", "422 unknown service")
        sync, refused = sync_checks(outbox, now=now)
        assert not sync.ok and "1 waiting" in sync.detail
        assert not refused.ok and "refused 1" in refused.detail
        outbox.put("sent", "pension-check", now.isoformat(), b"sealed", None)
        outbox.record_ack("sent", "PEN-2026-000123")  # the hub answers again
        sync, _ = sync_checks(outbox)
        assert sync.ok and sync.detail.startswith("last sent 20")
    finally:
        outbox.close()


def test_the_store_for_secrets_is_named_and_none_at_all_is_a_problem(bare_machine, tmp_path,
                                                                     monkeypatch):
    credentials.choose_store(demo=False)
    nowhere = keyring_check()
    assert not nowhere.ok and "cannot be kept" in nowhere.detail
    given = tmp_path / "credentials"  # what systemd's LoadCredentialEncrypted= hands over
    given.mkdir()
    (given / "kiosk-secrets-key").write_bytes(os.urandom(32))
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(given))
    credentials.choose_store(demo=False)
    sealed = keyring_check()
    assert sealed.ok and f"sealed in {bare_machine}" in sealed.detail


def test_a_sealed_secrets_file_this_key_cannot_open_is_a_problem(bare_machine, tmp_path,
                                                                  monkeypatch):
    # Written under one key (the kiosk before its disk was moved, or its key re-made) ...
    SealedFileKeyring(bare_machine / FILE_NAME, os.urandom(32)).set_password(
        credentials.SERVICE, "centre-12-a", "s3cret-token")
    given = tmp_path / "credentials"
    given.mkdir()
    (given / "kiosk-secrets-key").write_bytes(os.urandom(32))  # ... checked under another
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(given))
    credentials.choose_store(demo=False, repair=False)  # as diagnose does: only reads
    unreadable = keyring_check("centre-12-a")
    assert not unreadable.ok
    assert unreadable.detail_key == "diag.keyring.sealed_unreadable"
    assert f"{bare_machine / FILE_NAME} cannot be opened with this machine's key" in (
        unreadable.detail)
    assert "docs/admin-guide.md" in unreadable.detail
    chinese = unreadable.translated("zh_CN")
    assert "docs/admin-guide.md" in chinese.detail and "密钥" in chinese.detail
    assert credentials.load_token("centre-12-a") is None  # what the kiosk itself sees
    sealed = (bare_machine / FILE_NAME).read_bytes()
    credentials.choose_store(demo=False)  # the kiosk's start: set aside, token asked again
    [moved] = bare_machine.glob(f"{FILE_NAME}.damaged-*")
    assert moved.read_bytes() == sealed and not (bare_machine / FILE_NAME).exists()
    assert keyring_check("centre-12-a").ok and credentials.load_token("centre-12-a") is None
    [repair] = repairs(bare_machine)
    assert repair.kind == "secrets" and "cannot be opened" in repair.reason
    credentials.save_token("centre-12-a", "new-token")  # the admin enters it again
    assert credentials.load_token("centre-12-a") == "new-token"


def test_the_diagnose_command_prints_every_check_it_can_make(capsys, bare_machine, tmp_path,
                                                             monkeypatch):
    import main

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    main.main(["diagnose"])
    printed = capsys.readouterr().out
    for name in ("App version", "Voice for 中文", "Chinese fonts", "Connection to the hub",
                 "Safe place for secrets", "Disk space"):
        assert f"  {name}: " in printed
