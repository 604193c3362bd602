"""Who is this? An ID card on the reader, or the ID number plus a code sent to the phone on
record; then the record the government holds, shown for the citizen to confirm.
"""

from __future__ import annotations

from kiosk.backend import BackendError
from kiosk.fields import check, mask_id
from kiosk.formatting import phone
from kiosk.i18n import tr
from kiosk.service import Step, Text
from kiosk.speech import script as speech
from kiosk.speech.script import Script
from ui.ops import Op
from ui.screens.base import ErrorText, Nav, Screen, label
from ui.widgets.big_button import BigButton
from ui.widgets.entry import BigEntry
from ui.widgets.keyboard import OnScreenKeyboard

ID_STEP = Step(id="id_number", type="id_number", title=Text({"en": "ID number"}))
CODE_STEP = Step(id="code", type="text", title=Text({"en": "Code"}), keyboard="digits",
                 min_length=6, max_length=6)


class CardScreen(Screen):
    """Put your card on the reader (the first way in), or type the number instead."""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.heading = label("heading")
        self.hint = label("body")
        self.error = ErrorText()
        self.box.addWidget(self.heading)
        self.box.addWidget(self.hint)
        self.box.addWidget(self.error)
        self.demo_buttons: list[BigButton] = []
        if kiosk.reader.is_demo:
            self.demo_heading = label("hint")
            self.box.addWidget(self.demo_heading)
            for id_number, _name in kiosk.reader.demo_cards():
                button = BigButton(role="secondary", icon="id-card")
                button.setObjectName(f"demo-card-{id_number[-4:]}")
                button.clicked.connect(lambda _=False, n=id_number: kiosk.reader.tap(n))
                self.demo_buttons.append(button)
                self.box.addWidget(button)
        self.type_instead = BigButton(role="secondary", icon="keypad")
        self.type_instead.setObjectName("type-id")
        self.type_instead.clicked.connect(lambda: kiosk.show(kiosk.id_number))
        self.box.addWidget(self.type_instead)
        self.box.addStretch(1)

    def showEvent(self, event) -> None:
        if self.kiosk.cards.present:  # left in by someone before, or put in too early
            self.error.say(tr(self.lang, "identity.card_again"))
        super().showEvent(event)

    def card_read(self, id_number: str) -> None:
        """A card was read (ui/card_watch.py): its record is fetched in the background."""
        session = self.kiosk.session
        Op(self, lambda: session.find_by_card(id_number), self._found, self._refused).run()

    def _found(self, citizen) -> None:
        self.kiosk.session.citizen = citizen
        self.kiosk.cards.identified = True  # taking this card out now ends the visit
        self.error.say("")
        self.kiosk.show(self.kiosk.who)

    def unreadable(self) -> None:
        self.error.say(tr(self.lang, "identity.card_unreadable"))

    def _refused(self, problem: BackendError) -> None:
        self.error.say(tr(self.lang, "identity.card_unknown")
                       if problem.key == "backend.not_found" else tr(self.lang, problem.key))

    def nav(self) -> Nav:
        return Nav(next_key=None)

    def title(self, lang: str) -> str:
        return tr(lang, "identity.title")

    def retranslate(self, lang: str) -> None:
        insert = self.kiosk.reader.prompt == "insert"  # a slot, not a pad to tap
        self.heading.setText(tr(lang, "identity.card_insert" if insert else "identity.card"))
        self.hint.setText(tr(lang, "identity.card_insert_hint" if insert
                             else "identity.card_hint"))
        if self.demo_buttons:
            self.demo_heading.setText(tr(lang, "identity.demo_cards"))
            # numbered, not named: no name is shown before the card is read
            for n, button in enumerate(self.demo_buttons, start=1):
                button.setText(tr(lang, "identity.demo_card", n=n))
        self.type_instead.setText(tr(lang, "identity.type_instead"))

    def script(self, lang: str) -> list[str]:
        return [self.title(lang), self.heading.text(), self.hint.text(),
                self.type_instead.text(), self.error.message()]

    def clear(self) -> None:
        self.error.say("")

    def on_back(self) -> None:
        self.kiosk.show(self.kiosk.before_start)


class _TypedScreen(Screen):
    """A page with one big entry and its keypad."""

    layout_name = "digits"

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.heading = label("heading")
        self.hint = label("body")
        self.entry = BigEntry()
        self.entry.setObjectName("entry")
        self.keys = OnScreenKeyboard(self.layout_name)
        self.entry.attach(self.keys)
        self.keys.typed.connect(lambda key: kiosk.echo(key, personal=True))
        self.entry.returnPressed.connect(self.on_next)
        self.error = ErrorText()
        for widget in (self.heading, self.hint, self.entry, self.error):
            self.box.addWidget(widget)
        self.box.addWidget(self.keys, 1)

    def retranslate(self, lang: str) -> None:
        self.keys.retranslate(lang)
        self.entry.setAccessibleName(self.heading.text())

    def script(self, lang: str) -> Script:
        return [self.title(lang), self.heading.text(), self.hint.text(), self.error.message()]

    def clear(self) -> None:
        self.entry.setText("")  # unlike clear(), this also drops the undo history
        self.error.say("")

    def showEvent(self, event) -> None:
        self.entry.setFocus()
        super().showEvent(event)


class IdNumberScreen(_TypedScreen):
    layout_name = "id"

    def title(self, lang: str) -> str:
        return tr(lang, "identity.title")

    def retranslate(self, lang: str) -> None:
        self.heading.setText(tr(lang, "identity.id_question"))
        self.hint.setText(tr(lang, "identity.id_hint"))
        super().retranslate(lang)

    def on_next(self) -> None:
        checked = check(ID_STEP, self.entry.text(), self.kiosk.session.day())
        if not checked.ok:
            return self.error.say(checked.problem.text(self.lang))
        session, id_number = self.kiosk.session, checked.value

        def send() -> tuple[str, str]:
            return session.send_code(id_number), session.demo_code()

        Op(self, send, lambda sent: self._sent(id_number, *sent), self._refused).run()

    def _sent(self, id_number: str, ending: str, demo_code: str) -> None:
        self.error.say("")
        self.kiosk.code.expect(id_number, ending, demo_code)
        self.kiosk.show(self.kiosk.code)

    def _refused(self, problem: BackendError) -> None:
        key = "identity.no_record" if problem.key == "backend.not_found" else problem.key
        self.error.say(tr(self.lang, key))

    def on_back(self) -> None:
        start = self.kiosk.identity_start()
        self.kiosk.show(self.kiosk.before_start if start is self else start)


class CodeScreen(_TypedScreen):
    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.id_number = ""
        self.ending = ""
        self.demo_code = ""  # fetched with the code, kept for the visit: no call on a redraw
        self.demo = label("hint")
        self.box.insertWidget(2, self.demo)

    def expect(self, id_number: str, ending: str, demo_code: str = "") -> None:
        self.id_number, self.ending, self.demo_code = id_number, ending, demo_code
        self.entry.clear()

    def title(self, lang: str) -> str:
        return tr(lang, "identity.title")

    def retranslate(self, lang: str) -> None:
        self.heading.setText(tr(lang, "identity.code_question"))
        self.hint.setText(tr(lang, "identity.code_sent", ending=self.ending))
        code = self.demo_code
        self.demo.setText(tr(lang, "identity.demo_code", code=code) if code else "")
        self.demo.setVisible(bool(code))
        super().retranslate(lang)

    def script(self, lang: str) -> Script:
        """The phone's last digits are personal: said by the rule, not inside the hint."""
        ending = speech.Part("digits", self.ending, personal=True) if self.ending else ""
        return [self.title(lang), self.heading.text(), tr(lang, "speech.code_sent"),
                speech.labelled(tr(lang, "speech.phone_ending"), ending, lang) if ending else "",
                self.demo.text(), self.error.message()]

    def on_next(self) -> None:
        checked = check(CODE_STEP, self.entry.text(), self.kiosk.session.day())
        if not checked.ok:
            return self.error.say(tr(self.lang, "identity.code_format"))
        session, id_number = self.kiosk.session, self.id_number
        Op(self, lambda: session.find_by_code(id_number, checked.value), self._verified,
           self._refused).run()

    def _verified(self, citizen) -> None:
        self.kiosk.session.citizen = citizen
        self.clear()
        self.kiosk.show(self.kiosk.who)

    def _refused(self, problem: BackendError) -> None:
        self.entry.clear()
        self.error.say(tr(self.lang, problem.key))

    def clear(self) -> None:
        super().clear()
        self.id_number = self.ending = self.demo_code = ""
        self.demo.clear()

    def on_back(self) -> None:
        self.kiosk.show(self.kiosk.id_number)


class WhoScreen(Screen):
    """Is this you? What the government holds is shown, never asked again."""

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk)
        self.heading = label("heading")
        self.record = label("body")
        self.hint = label("hint")
        for widget in (self.heading, self.record, self.hint):
            self.box.addWidget(widget)
        self.box.addStretch(1)

    def nav(self) -> Nav:
        return Nav(next_key="identity.yes_me")

    def title(self, lang: str) -> str:
        return tr(lang, "identity.title")

    def retranslate(self, lang: str) -> None:
        citizen = self.kiosk.session.citizen
        self.heading.setText(tr(lang, "identity.is_this_you"))
        self.hint.setText(tr(lang, "identity.not_me"))
        if citizen is None:
            self.record.clear()
            return
        self.record.setText("\n".join([
            tr(lang, "identity.name", name=citizen.name),
            tr(lang, "identity.age", age=citizen.age),
            tr(lang, "identity.id", id=mask_id(citizen.id_number)),
            tr(lang, "identity.address", address=citizen.address),
            tr(lang, "identity.phone", phone=phone(citizen.phone)),
        ]))

    def script(self, lang: str) -> Script:
        # the record is personal: each line is said by the rule in kiosk.speech.script
        citizen = self.kiosk.session.citizen
        said: Script = [self.title(lang), self.heading.text()]
        if citizen is not None:
            said += [speech.private(citizen.name).framed(tr(lang, "identity.name",
                                                            name=speech.VALUE)),
                     speech.Part("number", citizen.age, personal=True).framed(
                         tr(lang, "identity.age", age=speech.VALUE)),
                     speech.private(citizen.address).framed(tr(lang, "identity.address",
                                                               address=speech.VALUE)),
                     speech.phone(citizen.phone).framed(tr(lang, "identity.phone",
                                                           phone=speech.VALUE))]
        return [*said, self.hint.text()]

    def clear(self) -> None:
        self.record.clear()

    def on_next(self) -> None:
        self.kiosk.start_chosen()

    def on_back(self) -> None:
        self.kiosk.session.citizen = None
        self.record.clear()
        self.kiosk.show(self.kiosk.identity_start())

