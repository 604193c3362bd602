"""A screen reader's walk through the kiosk: the pension check, start to reference, over the
platform's accessibility bus (AT-SPI) alone, as Orca or a switch-access program would drive it.

Nothing here knows the kiosk's code, object names or screen coordinates: a control is found by
its role and its accessible name among what is showing, a button is pressed through its
Action interface, an answer is typed through the EditableText interface (or key by key on the
kiosk's own keyboard, as a switch device does), and a screen is
known by its heading, read as a label. A control without a name or a role, or a button whose
action does nothing, stops the walk.

pyatspi is a Debian package (GObject introspection) for the system's python3, not on PyPI:
tests/e2e/test_screen_reader.py runs this file with /usr/bin/python3, on the session bus it set
up, as a separate program (as a screen reader is):

    /usr/bin/python3 tests/e2e/screen_reader.py APP_NAME ID_NUMBER

It prints one JSON line per step, then {"reference": "..."}; on a failure it exits 1 and says
what it looked for and what was showing.
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi
from gi.repository import Atspi, GLib

TIMEOUT_S = 20.0  # a screen that needs the hub (the reference) may take a few seconds
POLL_S = 0.1


class Lost(Exception):
    """What the walk looked for and did not find."""


def showing(node):
    """The accessible objects showing on the screen, depth first (a hidden screen of the
    kiosk's stack is skipped with everything under it)."""
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is None or not child.getState().contains(pyatspi.STATE_SHOWING):
            continue
        yield child
        yield from showing(child)


def wait_for_app(name: str):
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and app.name == name and app.childCount:
                # No event loop runs here, so a cache would never hear of changes: ask every time.
                app.set_cache_mask(Atspi.Cache.NONE)
                return app
        time.sleep(POLL_S)
    raise Lost(f"no application called {name!r} on the accessibility bus")


class Reader:
    def __init__(self, app) -> None:
        self.app = app
        self.steps = 0

    def screen(self) -> list[str]:
        """What a screen reader would list: every named control and label showing."""
        return [f"{node.getRoleName()}: {node.name}" for node in showing(self.app)
                if node.name]

    def find(self, role: str, name: str | None = None, *, starts: str | None = None,
             description: str | None = None):
        """The one showing object of this role and name (or name start, or description);
        waits for it, as a person waits for the next screen."""
        def matches(node) -> bool:
            return (node.getRoleName() == role
                    and (name is None or node.name == name)
                    and (starts is None or node.name.startswith(starts))
                    and (description is None or node.description == description))

        wanted = f"{role} {name or starts or ''!r}" + (f" ({description})" if description else "")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            try:
                found = [node for node in showing(self.app) if matches(node)]
            except GLib.GError:  # a control went away while it was read: the screen changed
                found = []
            if len(found) == 1:
                return found[0]
            if time.monotonic() > deadline:
                raise Lost(f"{len(found)} showing {wanted}; showing:\n  "
                           + "\n  ".join(self.screen()))
            time.sleep(POLL_S)

    def log(self, **step: object) -> None:
        self.steps += 1
        print(json.dumps(step, ensure_ascii=False), flush=True)

    def heading(self, words: str) -> None:
        """The screen has changed to the one with these words."""
        self.find("label", words)
        self.log(heard=words)

    def read(self, *, starts: str | None = None, description: str | None = None) -> str:
        text = self.find("label", starts=starts, description=description).name
        self.log(read=text)
        return text

    def press(self, name: str, role: str = "push button") -> None:
        button = self.find(role, name)
        if not button.getState().contains(pyatspi.STATE_SENSITIVE):
            raise Lost(f"{role} {name!r} cannot be pressed now")
        action = button.queryAction()
        names = [action.getName(i) for i in range(action.nActions)]
        if "Press" not in names:
            raise Lost(f"{role} {name!r} has no Press action, only {names}")
        action.doAction(names.index("Press"))
        self.log(pressed=name)

    def type(self, field: str, text: str) -> None:
        entry = self.find("text", field)
        if not entry.getState().contains(pyatspi.STATE_EDITABLE):
            raise Lost(f"text {field!r} cannot be typed in")
        entry.queryEditableText().setTextContents(text)
        said = entry.queryText()
        if said.getText(0, said.characterCount) != text:
            raise Lost(f"text {field!r} shows {said.getText(0, -1)!r}, not what was typed")
        self.log(typed=field)

    def key_in(self, field: str, text: str) -> None:
        """Type on the kiosk's own on-screen keyboard, key by key, as a switch device does:
        each key is a button named by its character."""
        entry = self.find("text", field)
        for n, char in enumerate(text, 1):
            self.press(char)
            self.wait_for_text(entry, field, text[:n])  # a key pressed again too soon is lost
        self.log(keyed=field)

    def wait_for_text(self, entry, field: str, expected: str) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            said = entry.queryText()
            shown = said.getText(0, said.characterCount)
            if shown == expected:
                return
            if time.monotonic() > deadline:
                raise Lost(f"text {field!r} shows {shown!r}, not {expected!r}")
            time.sleep(POLL_S)

    def selected(self, name: str) -> None:
        """A chosen tile says so (its description), so a listener knows which one is chosen."""
        self.find("push button", name, description="Selected")


def pension_check(reader: Reader, id_number: str) -> str:
    """The whole service, as someone who cannot see the screen does it; returns the
    reference the confirmation shows."""
    reader.press("请触摸屏幕开始\n\nTouch the screen to begin")  # the attract screen
    reader.heading("您想用哪种语言？")
    reader.press("English")
    reader.heading("What would you like to do today?")
    reader.press("Your pension check")
    reader.heading("You will need")
    reader.press("Start")

    reader.heading("Please put your ID card on the reader")
    reader.press("I do not have my card: type my ID number")
    reader.heading("What is your ID number?")
    reader.type("What is your ID number?", id_number)
    reader.press("Next")
    reader.heading("Type the code from your phone")
    code = reader.read(starts="Demo: the code is ").rsplit(" ", 1)[1]  # the demo "text message"
    reader.key_in("Type the code from your phone", code)
    reader.press("Next")
    reader.heading("Is this you?")
    reader.press("Yes, this is me")

    reader.heading("What is the pension check?")
    reader.press("Next")
    reader.heading("Is this your address?")  # known already: confirmed as it is
    reader.press("Next")
    reader.heading("Is this your phone number?")
    reader.press("Next")
    reader.heading("Do you still live at home?")
    reader.press("No")
    reader.selected("No")
    reader.press("Next")
    reader.heading("Where do you live now?")
    reader.press("With my family")
    reader.selected("With my family")
    reader.press("Next")
    reader.heading("Please confirm")
    reader.press("I agree")
    reader.selected("I agree")
    reader.press("Next")

    reader.heading("Check your answers")
    reader.find("push button", "Change: Lives now")  # each answer can be changed, by name
    reader.press("Send it")
    reader.heading("✓ Your pension check for this year is done.")
    return reader.read(description="Your reference")


def main(app_name: str, id_number: str) -> int:
    try:
        reader = Reader(wait_for_app(app_name))
        reference = pension_check(reader, id_number)
    except Lost as lost:
        print(f"screen reader walk stopped: {lost}", file=sys.stderr, flush=True)
        return 1
    print(json.dumps({"reference": reference, "steps": reader.steps}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
