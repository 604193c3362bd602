"""The hostile-input probe of issue 12 cannot grow the hub: its peak RSS stays under 200 MB.

`python -m hub` in its own process (its memory is its own, read from /proc), sent a 40 MB body
to POST /v1/usage (declared, and streamed without a length), 10 MB and 50 MB Open311 contact
fields, a 40 MB submission, then the largest usage batch the kiosk may send (2 MiB, accepted).
Before the limits, the 40 MB usage body alone took the hub from 101 MB to 892 MB.
"""

from __future__ import annotations

import json
import uuid

import requests

from kiosk.usage_stats import MAX_BATCH_BYTES
from tests.hub.conftest import Client, served_hub

MAX_RSS_MB = 200


def _visit(tasks: int) -> dict:
    task = {"service_id": "pay_bill", "outcome": "gave_up", "last_step": "account",
            "seconds": 30, "rating": 3, "comment": "usage.comment.too_long"}
    return {"id": str(uuid.uuid4()), "day": "2026-11-22", "seconds": 60,
            "help": [{"wait_s": 10}], "tasks": [task] * tasks}


def test_hostile_bodies_leave_the_hub_under_200_mb(tmp_path, private_key_file):
    with served_hub(tmp_path / "hub", private_key_file) as hub:
        kiosk = Client(hub)
        json_type = {"Content-Type": "application/json"}

        def streamed(megabytes: int):  # no Content-Length: chunked, counted as it comes
            yield b'{"records": ['
            for _ in range(megabytes):
                yield b" " * (1 << 20)
            yield b"]}"

        huge = b'{"records": [' + b" " * (40 << 20) + b"]}"
        assert kiosk.post("/v1/usage", data=huge, headers=json_type).status_code == 413
        assert kiosk.post("/v1/usage", data=streamed(40), headers=json_type).status_code == 413
        assert kiosk.submit(huge).status_code == 413
        for megabytes in (10, 50):
            report = {"service_code": "rubbish", "address_string": "Main Street",
                      "email": "x" * (megabytes << 20)}
            answer = requests.post(f"{hub.url}/open311/v2/requests.json", data=report,
                                   timeout=60)
            assert answer.status_code == 413
        del huge

        records = [_visit(28) for _ in range(500)]  # ~2 MiB: the most a kiosk sends at once
        body = json.dumps({"records": records}).encode()
        assert MAX_BATCH_BYTES * 0.8 < len(body) <= MAX_BATCH_BYTES
        stored = kiosk.post("/v1/usage", data=body, headers=json_type)
        assert stored.status_code == 200 and stored.json()["stored"] == 500

        peak = hub.rss_peak_mb()
        print(f"hub RSS peak {peak:.0f} MB")
        assert peak < MAX_RSS_MB, f"the hub's RSS peaked at {peak:.0f} MB"
