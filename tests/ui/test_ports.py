"""Ports, not duck typing: every part the composition root hands out fulfils its whole port
(kiosk.ports), so no caller asks what it can do; where a capability is absent, the null version
answers in the port's own terms."""

from __future__ import annotations

import inspect
import typing

import pytest

from kiosk.backend import Unavailable
from kiosk.backend.demo import DemoBackend
from kiosk.backend.http import HttpBackend
from kiosk.backend.no_hub import NoHubBackend
from kiosk.ports import (
    CitizenData,
    HelpDesk,
    NullHelpDesk,
    NullQueue,
    NullUplink,
    QueueAdmin,
    Uplink,
)
from ui.composition import demo_ports, hub_ports, no_hub_ports

PORTS = {"citizen_data": CitizenData, "help_desk": HelpDesk, "uplink": Uplink,
         "queue": QueueAdmin}


def members(port: type) -> set[str]:
    names = set(typing.get_type_hints(port, localns={"Outbox": object, "Sender": object}))
    return names | {n for n, v in vars(port).items() if callable(v) and not n.startswith("_")}


def assert_fulfils(part: object, port: type) -> None:
    missing = {name for name in members(port) if not hasattr(part, name)}
    assert not missing, f"{type(part).__name__} lacks {missing} of {port.__name__}"
    for name in members(port):
        wanted = getattr(port, name, None)
        if inspect.isfunction(wanted):
            got = inspect.signature(getattr(part, name))
            if any(p.kind is p.VAR_POSITIONAL for p in got.parameters.values()):
                continue  # a refusal, whatever is asked
            assert list(got.parameters) == list(inspect.signature(wanted).parameters)[1:], \
                f"{type(part).__name__}.{name}{got}"


@pytest.fixture
def hub(tmp_path):
    backend = HttpBackend("http://127.0.0.1:9", "token", tmp_path / "outbox.sqlite3", "k1")
    yield backend
    backend.outbox.close()


def test_each_kind_of_kiosk_has_every_port(tmp_path, hub):
    stranded = no_hub_ports(tmp_path / "stranded.sqlite3", "k2")
    for ports in (demo_ports(), hub_ports(hub), stranded):
        for field, port in PORTS.items():
            assert_fulfils(getattr(ports, field), port)
    stranded.queue.outbox.close()


def test_the_demo_files_in_memory_and_keeps_no_queue():
    ports = demo_ports(practice=True)
    assert isinstance(ports.citizen_data, DemoBackend) and ports.citizen_data.practice
    assert isinstance(ports.queue, NullQueue) and ports.queue.outbox is None
    assert ports.uplink.status() == (True, 0) and ports.uplink.heartbeat() == {}
    assert ports.help_desk.call_help("pay_bill", "account")  # a request the demo desk sees


def test_a_kiosk_without_its_hub_files_nothing_calls_nobody_and_keeps_its_queue(tmp_path):
    ports = no_hub_ports(tmp_path / "outbox.sqlite3", "k2")
    try:
        assert isinstance(ports.citizen_data, NoHubBackend)
        assert isinstance(ports.help_desk, NullHelpDesk)
        with pytest.raises(Unavailable):
            ports.help_desk.call_help("pay_bill", "account")  # the room is told instead
        assert ports.uplink.status() == (False, 0)
        for tell in (ports.uplink.heartbeat, lambda: ports.uplink.send_usage([])):
            with pytest.raises(Unavailable):
                tell()
        assert ports.queue.policy == "offline" and ports.queue.outbox is not None
        assert ports.queue.public_key_pem() == ""  # never had the hub's key
    finally:
        ports.queue.outbox.close()


def test_the_null_parts_answer_in_their_ports_terms():
    assert_fulfils(NullHelpDesk(), HelpDesk)
    assert_fulfils(NullUplink(3), Uplink)
    assert_fulfils(NullQueue(), QueueAdmin)
    assert NullUplink(3).status() == (False, 3)
    with pytest.raises(Unavailable):
        NullUplink().send_usage([{"id": "v1"}])
    assert NullQueue().public_key_pem() == ""


def test_the_check_finds_a_part_that_lacks_a_call():
    class HalfDesk:
        def call_help(self, service_id, step_id):
            return "H1"

    with pytest.raises(AssertionError, match="lacks"):
        assert_fulfils(HalfDesk(), HelpDesk)
