"""The tour's pictures of a remote desk's help (ui/tour.py's "remote" pass): the question
with the clerk's name, the help bar, the pointer ring with the clerk's words, the details
shown, a live voice call, and the slip. Played on the demo backend's in-memory relay."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.backend.demo_data import CITIZENS
from kiosk.i18n import tr
from ui.walker import Walker, settle

if TYPE_CHECKING:
    from ui.app import Kiosk

CLERK = {"en": ("Li Ming", "County hall"), "zh_CN": ("李明", "县政务服务中心")}
WAIT_S = 15.0


def _until(done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_S
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError("the tour's remote help did not reach the state it shows")
        settle()
        time.sleep(0.01)


def visit_remote(kiosk: Kiosk, lang: str, size: str, once: Callable[[str], None]) -> None:
    clerk, desk = CLERK.get(lang, CLERK["en"])
    walker = Walker(kiosk)
    kiosk.end_session()
    walker.begin(lang)
    kiosk.set_text_size(size)
    walker.open_service("senior_allowance")
    walker.identify_by_card(CITIZENS[0][0])
    walker.tap("help")
    walker.tap("call-staff")
    _until(lambda: kiosk.help_call.state == "open")
    relay = kiosk.session.backend.desk_take_remote(kiosk.help_call.request_id, clerk, desk)
    kiosk.help_call.poll.setInterval(100)  # the demo desk answered: notice it now
    _until(lambda: kiosk.current() is kiosk.remote.consent)
    once("remote-consent")
    walker.tap("remote-consent-yes")
    once("remote-bar")
    walker.tap("next")  # the address, as it is
    relay.to_kiosk({"kind": "point", "target": "choice-social_security_card",
                    "words": tr(lang, "remote.tour.point")})
    _until(lambda: kiosk.remote.ring.isVisible())
    once("remote-pointer")
    walker.tap("back")
    walker.tap("remote-details")
    once("remote-details-shown")
    kiosk.remote.show_call(True)
    once("remote-on-call")
    kiosk.remote.show_call(False)
    walker.tap("remote-end")
    once("remote-slip")
    kiosk.end_session()
