"""The centre admin: a hidden corner and a PIN lead to the admin screen, whose settings are
checked, saved to the settings file and used at once; the window cannot be closed otherwise."""

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk import config, credentials
from kiosk.admin_pin import AdminPin
from kiosk.settings import Settings
from tests.conftest import keep_hub_key
from tests.hashes import FAST
from tests.keyrings import bare_machine, memory_keyring  # noqa: F401 - fixtures
from tests.ui.test_accessibility import problems_on_screen
from tests.ui.test_usage_view import record_four_visits
from ui.launch import WINDOW_SIZE, configured_kiosk, embedded_kiosk
from ui.walker import Walker, settle

PIN = "2580"
PROVISIONAL = re.compile(r"P-[2-9A-HJ-NP-Z]{10}")


class Clock:
    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    path = tmp_path / "config" / "settings.toml"
    monkeypatch.setenv("KIOSK_CONFIG", str(path))
    return path


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def admin_kiosk(make_kiosk, memory_keyring, config_file, clock):  # noqa: F811
    """A kiosk whose admin PIN (a real AdminPin, in the test's keyring) runs on `clock`."""

    def make(pin: str | None = PIN, **settings):
        # 600 s: the longest idle timeout the form accepts (the usual test kiosk has 3600)
        kiosk = make_kiosk(**{"default_language": "en", "idle_timeout_s": 600, **settings})
        kiosk.admin.pin = AdminPin(config_file.parent / "admin-lock.json", clock=clock,
                                   hasher=FAST)
        kiosk.admin.pin_screen.clock = clock  # the countdown, on the same clock
        if pin:
            kiosk.admin.pin.set_pin(pin)
        kiosk.admin.corner.set_hold_ms(50)  # the real hold is 3 s; the test waits, not sleeps
        return kiosk

    return make


def hold_corner(kiosk, qtbot):
    corner = kiosk.admin.corner
    QTest.mousePress(corner, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.current() is kiosk.admin.pin_screen)
    QTest.mouseRelease(corner, Qt.MouseButton.LeftButton)


def type_pin(walker, digits, qtbot):
    """Typed and OK tapped; returns once the PIN has been checked (or kept) in the
    background, the keypad and OK off until then."""
    screen = walker.kiosk.admin.pin_screen
    walker.type(digits)
    walker.tap("admin-ok")
    if screen.working:
        assert not screen.pad.keys.isEnabled() and not screen.ok.isEnabled()
    qtbot.waitUntil(lambda: not screen.working)


def sign_in(kiosk, qtbot, pin=PIN):
    hold_corner(kiosk, qtbot)
    type_pin(Walker(kiosk), pin, qtbot)
    assert kiosk.current() is kiosk.admin.screen


def save(walker):
    walker.tap("admin-save")
    assert walker.visible("settings-saved").text().startswith("Saved.")


def pin_error(kiosk):
    return kiosk.admin.pin_screen.pad.error.message()


def test_first_start_asks_for_a_new_pin_twice(admin_kiosk, qtbot, memory_keyring):  # noqa: F811
    kiosk = admin_kiosk(pin=None)
    walker = Walker(kiosk)
    hold_corner(kiosk, qtbot)
    screen = kiosk.admin.pin_screen
    assert screen.pad.prompt.text().startswith("No admin PIN has been set")
    assert screen.script("en") == [] and not kiosk.window.top.isVisible()  # nothing said
    type_pin(walker, "1111", qtbot)
    assert pin_error(kiosk) == "Please do not use the same digit all through."
    type_pin(walker, PIN, qtbot)
    assert screen.pad.prompt.text() == "Type the same PIN again."
    type_pin(walker, "2581", qtbot)
    assert pin_error(kiosk) == "The two PINs differ. Please choose a PIN again."
    assert not kiosk.admin.pin.is_set()
    type_pin(walker, PIN, qtbot)
    type_pin(walker, PIN, qtbot)
    assert kiosk.current() is kiosk.admin.screen
    assert kiosk.admin.pin.is_set()
    assert PIN not in str(memory_keyring.secrets)  # only its slow hash is kept


def test_the_right_pin_opens_admin_and_wrong_ones_lock_the_entry(admin_kiosk, qtbot, clock):
    kiosk = admin_kiosk()
    walker = Walker(kiosk)
    hold_corner(kiosk, qtbot)
    assert kiosk.admin.pin_screen.pad.prompt.text() == "Type the admin PIN."
    type_pin(walker, "1357", qtbot)
    assert pin_error(kiosk) == "Wrong PIN. 2 tries left."
    type_pin(walker, "1358", qtbot)
    assert pin_error(kiosk) == "Wrong PIN. 1 try left."
    type_pin(walker, "1359", qtbot)
    assert pin_error(kiosk) == "Too many wrong PINs. Try again in 30 seconds."
    pad = kiosk.admin.pin_screen.pad
    assert not pad.keys.isEnabled() and not kiosk.admin.pin_screen.ok.isEnabled()
    clock.now += 12
    qtbot.waitUntil(lambda: pin_error(kiosk) == "Too many wrong PINs. Try again in 18 seconds.")
    clock.now += 18
    qtbot.waitUntil(lambda: pad.keys.isEnabled() and not pad.error.isVisible())
    walker.tap("admin-cancel")  # Cancel: back to the welcome screen
    assert kiosk.current() is kiosk.attract

    sign_in(kiosk, qtbot)
    assert kiosk.admin.screen.script("en") == []
    assert not kiosk.window.top.isVisible() and not kiosk.window.bottom.isVisible()
    assert kiosk.idle.paused  # the citizen's idle watch does not fire during admin
    walker.tap("admin-back")
    assert kiosk.current() is kiosk.attract and not kiosk.idle.paused


def test_a_short_tap_on_the_corner_begins_like_anywhere_else(admin_kiosk):
    kiosk = admin_kiosk()
    corner = kiosk.admin.corner
    assert corner.mapTo(kiosk.window, corner.rect().topLeft()).toTuple() == (0, 0)
    assert kiosk.window.childAt(QPoint(60, 60)) is corner  # on top: the finger lands on it
    QTest.mouseClick(corner, Qt.MouseButton.LeftButton)
    assert kiosk.current() is kiosk.languages


def test_no_safe_store_is_said_plainly(make_kiosk, bare_machine, qtbot):  # noqa: F811
    kiosk = make_kiosk()
    kiosk.admin.corner.set_hold_ms(50)
    hold_corner(kiosk, qtbot)
    screen = kiosk.admin.pin_screen
    assert "docs/admin-guide.md" in screen.problem.message()
    assert not screen.pad.keys.isVisible() and not screen.ok.isVisible()
    Walker(kiosk).tap("admin-cancel")
    assert kiosk.current() is kiosk.attract


def test_the_admin_screen_closes_itself_when_left_alone(admin_kiosk, qtbot):
    kiosk = admin_kiosk()
    sign_in(kiosk, qtbot)
    kiosk.admin.idle.set_timeout(0.3)  # instead of 120 s, from now
    qtbot.waitUntil(lambda: kiosk.current() is kiosk.attract, timeout=5000)
    assert not kiosk.idle.warning_shown


def fill_in(walker, name, text):
    entry = walker.visible(f"entry-{name}")
    entry.setFocus()
    entry.selectAll()
    QTest.keyClicks(entry, text)


def test_a_hub_address_and_token_can_be_typed_by_touch_alone(admin_kiosk, qtbot,
                                                             memory_keyring):  # noqa: F811
    kiosk = admin_kiosk()
    walker = Walker(kiosk)
    sign_in(kiosk, qtbot)
    walker.tap("keys-hub_url")  # a kiosk with no keyboard plugged in
    for key in "http://hub.centre-12:8311":
        walker.tap(f"key-{key}")
    walker.tap("keys-hub_url")
    assert not kiosk.admin.screen.settings.inputs["hub_url"].keyboard.isVisible()
    walker.tap("keys-token")
    for key in ["a", "b", "shift", "c", "d", "shift", "_", "9"]:  # Capitals, then back
        walker.tap(f"key-{key}")
    save(walker)
    assert kiosk.settings.hub_url == "http://hub.centre-12:8311"
    assert credentials.load_token(kiosk.settings.kiosk_id) == "abCD_9"


def test_every_setting_is_saved_reloaded_and_refused_when_wrong(admin_kiosk, qtbot, config_file,
                                                                memory_keyring):  # noqa: F811
    kiosk = admin_kiosk()
    walker = Walker(kiosk)
    sign_in(kiosk, qtbot)
    fill_in(walker, "centre_name", "Riverside Centre")
    fill_in(walker, "kiosk_id", "centre-12-a")
    fill_in(walker, "hub_url", "https://hub.example.org")
    walker.tap("offline_policy-online")
    walker.tap("more-sync_every_s")  # 30 -> 60
    walker.tap("services-pay_bill")  # ticked off
    walker.tap("default_language-en")
    walker.tap("default_text_size-large")
    walker.tap("theme-high_contrast")
    walker.tap("speech_rate-slow")
    walker.tap("less-speech_volume")  # 3 -> 2
    walker.tap("headset_fitted-true")
    fill_in(walker, "idle_timeout_s", "300")
    fill_in(walker, "printer", "pdf")
    fill_in(walker, "token", "hub-token-123")
    save(walker)

    wanted = Settings(centre_name="Riverside Centre", kiosk_id="centre-12-a",
                      hub_url="https://hub.example.org", offline_policy="online",
                      sync_every_s=60, default_language="en", default_text_size="large",
                      theme="high_contrast", speech_rate="slow", speech_volume=2,
                      headset_fitted=True, idle_timeout_s=300, printer="pdf",
                      services=tuple(s.id for s in kiosk.catalogue.services
                                     if s.id != "pay_bill"))
    for spec in config.FIELDS:
        assert getattr(kiosk.settings, spec.name) == getattr(wanted, spec.name), spec.name
    reloaded = config.load(config_file)
    assert reloaded.problems == []
    assert all(getattr(reloaded.settings, s.name) == getattr(wanted, s.name)
               for s in config.FIELDS)
    assert "hub-token-123" not in config_file.read_text()
    assert credentials.load_token("centre-12-a") == "hub-token-123"
    assert walker.visible("entry-token").text() == ""  # the secret is not left on screen
    assert "service-pay_bill" not in kiosk.menu.tiles and kiosk.idle.quiet.interval() == 300000

    saved = config_file.read_text()
    fill_in(walker, "kiosk_id", "centre 12 a!")
    fill_in(walker, "idle_timeout_s", "5")
    walker.tap("services-pension_check")  # untick every remaining service: none offered
    for service in wanted.services:
        if service != "pension_check":
            walker.tap(f"services-{service}")
    walker.tap("admin-save")
    assert walker.visible("error-kiosk_id").message().startswith("A kiosk id has only letters")
    assert walker.visible("error-idle_timeout_s").message() == \
        "Please enter a number of seconds from 30 to 600."
    assert walker.visible("error-services").message() == "Please choose at least one service."
    assert not kiosk.admin.screen.settings.inputs["centre_name"].error.isVisible()
    assert walker.visible("settings-status").message().startswith("Nothing was saved.")
    assert config_file.read_text() == saved and kiosk.settings.kiosk_id == "centre-12-a"

    walker.tap("admin-back")  # the new defaults greet the next visitor
    assert (kiosk.session.language, kiosk.session.text_size, kiosk.session.theme) == \
        ("en", "large", "high_contrast")


def test_a_new_kiosk_id_takes_the_stored_token_along(admin_kiosk, qtbot, config_file,
                                                     memory_keyring):  # noqa: F811
    kiosk = admin_kiosk()
    walker = Walker(kiosk)
    sign_in(kiosk, qtbot)
    old_id = kiosk.settings.kiosk_id
    fill_in(walker, "token", "hub-token-123")
    save(walker)
    assert credentials.load_token(old_id) == "hub-token-123"
    fill_in(walker, "kiosk_id", "centre-12-b")  # the token field left empty
    save(walker)
    assert config.load(config_file).settings.kiosk_id == "centre-12-b"
    assert credentials.load_token("centre-12-b") == "hub-token-123"  # no demo hub next start


def test_a_settings_file_that_cannot_be_written_saves_nothing(admin_kiosk, qtbot, monkeypatch,
                                                              memory_keyring):  # noqa: F811
    kiosk = admin_kiosk()
    walker = Walker(kiosk)
    sign_in(kiosk, qtbot)

    def read_only(settings, path=None):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(config, "save", read_only)
    fill_in(walker, "centre_name", "Riverside Centre")
    fill_in(walker, "token", "hub-token-123")
    walker.tap("admin-save")
    assert walker.visible("settings-status").message() == (
        "Nothing was saved: the settings file could not be written (Permission denied).")
    assert not kiosk.admin.screen.settings.saved.isVisible()
    assert credentials.load_token(kiosk.settings.kiosk_id) is None  # not ahead of the file
    assert kiosk.settings.centre_name != "Riverside Centre"


def test_speech_defaults_are_what_each_visit_starts_with(admin_kiosk, qtbot):
    from kiosk.speech.player import Player
    from kiosk.speech.service import SpeechService
    from ui.voice import QtVoice

    voice = QtVoice(SpeechService(player=Player(None)))
    try:
        kiosk = admin_kiosk(voice=voice, speak_on_open=False)
        walker = Walker(kiosk)
        sign_in(kiosk, qtbot)
        walker.tap("speech_rate-fast")
        walker.tap("more-speech_volume")
        save(walker)
        walker.tap("admin-back")
        assert (voice.prefs.rate, voice.prefs.volume) == ("fast", 4)
        voice.prefs.volume = 1  # a citizen turns it down; the next one starts at the default
        kiosk.end_session()
        assert (voice.prefs.rate, voice.prefs.volume) == ("fast", 4)
    finally:
        voice.close()


def test_a_broken_settings_file_starts_the_kiosk_for_staff_and_says_so(
        qtbot, tmp_path, memory_keyring, config_file):  # noqa: F811
    broken = config_file
    broken.parent.mkdir()
    broken.write_text('centre_name = "Riverside\nidle_timeout_s = 5\n')  # unclosed quote
    kiosk, close = configured_kiosk(broken, folder=tmp_path / "data")
    try:
        kiosk.window.setFixedSize(*WINDOW_SIZE)
        kiosk.window.show()
        assert kiosk.settings == Settings(data_dir=str(tmp_path / "data"), demo=False)
        assert kiosk.needs_staff is not None  # the staff screen, never the demo
        kiosk.admin.signed_in()
        Walker(kiosk).tap("admin-language")  # the admin screen's own switch: 中文 -> English
        notice = kiosk.admin.screen.notice
        assert notice.isVisible() and "(1)" in notice.text()
        problems = Walker(kiosk).visible("settings-problems").text()
        assert problems.startswith("settings.toml could not be read: there is a mistake on line")
        save(Walker(kiosk))  # a good file again: the kiosk must start again to use it
        assert config.load(config_file).needs_staff is None
        problems = Walker(kiosk).visible("settings-problems").text()
        assert problems.startswith("The settings were saved. Close the kiosk program")
    finally:
        kiosk.shutdown()
        close()


def test_a_hub_address_without_a_token_needs_staff_and_says_why(
        qtbot, tmp_path, memory_keyring):  # noqa: F811
    from kiosk.backend.no_hub import NoHubBackend

    settings = tmp_path / "settings.toml"
    settings.write_text('hub_url = "https://hub.example.org"\nkiosk_id = "centre-12-a"\n')
    kiosk, close = configured_kiosk(settings, folder=tmp_path / "data")
    try:
        assert isinstance(kiosk.session.backend, NoHubBackend)  # never the demo hub
        assert not (tmp_path / "data" / "embedded").exists()
        assert [p.text("en") for p in kiosk.admin.problems] == [
            "A hub address is set, but no hub token is stored for kiosk centre-12-a (or the "
            "secrets file could not be opened), so the kiosk files nothing and shows \"needs a "
            "member of staff\". Enter the token in Settings and start the kiosk program again."]
    finally:
        kiosk.shutdown()
        close()


@pytest.fixture
def embedded(tmp_path, qtbot, memory_keyring, config_file, clock,  # noqa: F811
             private_key_file):
    keep_hub_key(private_key_file, tmp_path / "embedded" / "hub")  # as a first start left it
    kiosk, hub = embedded_kiosk(Settings(default_language="en", idle_timeout_s=600,
                                         status_every_s=0.2,
                                         help_poll_s=0.2, data_dir=str(tmp_path)),
                                folder=tmp_path / "embedded")
    kiosk.admin.pin = AdminPin(config_file.parent / "admin-lock.json", clock=clock, hasher=FAST)
    kiosk.admin.pin_screen.clock = clock
    kiosk.admin.pin.set_pin(PIN)
    kiosk.admin.corner.set_hold_ms(50)
    kiosk.window.setFixedSize(*WINDOW_SIZE)
    kiosk.window.show()
    qtbot.waitUntil(lambda: kiosk.connection == (True, 0), timeout=10000)
    yield kiosk, hub
    kiosk.shutdown()
    hub.close()


def hub_references(hub):
    """The provisional references the hub has filed (its demo data has none)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(hub.hub.app.state.hub.settings.url)
    with engine.connect() as db:
        rows = db.execute(text("select provisional_reference from submissions")).fetchall()
    engine.dispose()
    return [row.provisional_reference for row in rows if row.provisional_reference]


def test_switching_the_offline_policy_changes_the_kiosk_at_once(embedded, qtbot):
    kiosk, hub = embedded
    walker = Walker(kiosk)
    sign_in(kiosk, qtbot)
    walker.tap("offline_policy-offline")
    save(walker)
    qtbot.waitUntil(lambda: not kiosk.connection[0], timeout=2000)  # at once, no probe
    walker.tap("admin-back")
    walker.begin("en")
    assert "Offline" in kiosk.window.connection.text()
    walker.complete("report_problem", answers={"category": "rubbish"})
    result = kiosk.session.journey.result
    assert result.provisional and PROVISIONAL.fullmatch(result.reference)
    qtbot.waitUntil(lambda: kiosk.connection == (False, 1), timeout=5000)
    assert hub_references(hub) == []  # kept on the kiosk: the hub has nothing
    walker.finish()  # through the rating screen, back to the welcome screen
    assert kiosk.current() is kiosk.attract

    sign_in(kiosk, qtbot)
    walker.tap("offline_policy-automatic")
    save(walker)
    qtbot.waitUntil(lambda: kiosk.connection == (True, 0), timeout=15000)  # and it went
    assert hub_references(hub) == [result.reference]
    assert kiosk.window.connection.text().startswith("●")


def test_the_window_closes_only_when_the_admin_chooses_to(admin_kiosk, qtbot):
    kiosk = admin_kiosk()
    walker = Walker(kiosk)
    kiosk.window.close()  # Alt+F4, or the compositor asking
    assert kiosk.window.isVisible()
    sign_in(kiosk, qtbot)
    walker.tap("admin-close")
    walker.tap("admin-close-no")
    assert not kiosk.admin.screen.confirm.isVisible() and kiosk.window.isVisible()
    walker.tap("admin-close")
    with qtbot.waitSignal(kiosk.admin.closing_program, timeout=1000):
        walker.tap("admin-close-yes")
    assert not kiosk.window.isVisible()


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_admin_screens_are_readable_and_touchable(admin_kiosk, qtbot, lang):
    kiosk = admin_kiosk(default_text_size="largest", default_language=lang, speak_on_open=False)
    kiosk.admin.file_problems = [config.Problem("config.problem.syntax", file="settings.toml",
                                                line=3)]
    record_four_visits(kiosk.usage.log.path)  # the usage tables and charts filled in
    report = {}
    hold_corner(kiosk, qtbot)
    type_pin(Walker(kiosk), "1357", qtbot)
    report["pin"] = problems_on_screen(kiosk, "standard")
    type_pin(Walker(kiosk), PIN, qtbot)
    screen = kiosk.admin.screen
    screen.ask_close()
    screen.settings.inputs["hub_url"].toggle_keyboard()  # the keys fit, at the largest size
    settle()
    for tab in ("settings", "queue", "usage", "diagnostics"):
        screen.show_tab(tab)
        if tab == "diagnostics":  # its results, not "Checking…"
            qtbot.waitUntil(lambda: not screen.pages["diagnostics"].running, timeout=10000)
            assert screen.pages["diagnostics"].shown()
            settle()
        if tab == "usage":
            assert screen.pages["usage"].services.rowCount() == 3
        bar = screen.scroll.verticalScrollBar()
        for value in range(0, bar.maximum() + bar.pageStep(), bar.pageStep()):
            bar.setValue(value)
            report[f"{tab}@{value}"] = problems_on_screen(kiosk, "standard")
    assert {name: found for name, found in report.items() if found} == {}
