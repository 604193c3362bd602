"""The hub's settings: where its database, data and private key live, and whether it is a demo.

Read from the environment (KIOSK_HUB_DATA, KIOSK_HUB_DATABASE_URL, KIOSK_HUB_DEMO,
KIOSK_HUB_PRIVATE_KEY, KIOSK_HUB_THREADS, KIOSK_HUB_OPEN311_API_KEYS (comma separated),
KIOSK_HUB_OPEN311_REQUIRE_KEY, KIOSK_HUB_OPEN311_POSTS_PER_HOUR, KIOSK_HUB_TURN_URLS (comma
separated), KIOSK_HUB_TURN_SECRET) and overridden by
`python -m hub` flags or by tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from kiosk.resources import SERVICES_DIR

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "assisted-kiosk-hub"
KEY_FILE = "submission_key.pem"
DEMO_TOKEN = "demo-token"  # the demo kiosk's (hub.seed); here, so the kiosk need not load the hub


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{Path(path).resolve()}"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""  # empty: a SQLite file in data_dir
    demo: bool = False
    private_key_path: Path | None = None  # None: data_dir/submission_key.pem
    services_dir: Path = SERVICES_DIR
    today: date | None = None  # None: the real date; tests pin it
    migrate_on_start: bool | None = None  # None: SQLite yes (demo convenience), PostgreSQL no
    # the lease on an idempotency key being processed, renewed while its holder works: a key
    # not renewed for this long was left by a hub that died, and is taken over
    stale_after_s: float = 5.0
    # requests served at once by one hub process (its thread pool); the database pool holds
    # as many connections plus two, so none is ever opened and closed under load
    worker_threads: int = 8
    open311_api_keys: tuple[str, ...] = ()  # clients posting with one are not rate limited
    open311_require_key: bool = False  # True: anonymous Open311 posting is refused (403)
    open311_posts_per_hour: int = 30  # per address without a key (burst: a third); 0: no limit
    # voice calls through coturn for kiosks behind NAT (hub/turn.py, docs/remote-help.md)
    turn_urls: tuple[str, ...] = ()  # "turn:turn.example.gov.cn:3478", "stun:..."
    turn_secret: str = ""  # coturn's static-auth-secret

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        env = os.environ
        data_dir = Path(env.get("KIOSK_HUB_DATA") or DEFAULT_DATA_DIR)
        settings = cls(
            data_dir=data_dir,
            database_url=env.get("KIOSK_HUB_DATABASE_URL", ""),
            demo=env.get("KIOSK_HUB_DEMO", "").lower() in ("1", "true", "yes"),
            private_key_path=Path(env["KIOSK_HUB_PRIVATE_KEY"])
            if env.get("KIOSK_HUB_PRIVATE_KEY") else None,
            open311_api_keys=tuple(k.strip() for k in
                                   env.get("KIOSK_HUB_OPEN311_API_KEYS", "").split(",")
                                   if k.strip()),
            open311_require_key=env.get("KIOSK_HUB_OPEN311_REQUIRE_KEY", "").lower()
            in ("1", "true", "yes"),
            open311_posts_per_hour=int(env.get("KIOSK_HUB_OPEN311_POSTS_PER_HOUR") or 30),
            worker_threads=int(env.get("KIOSK_HUB_THREADS") or cls.worker_threads),
            turn_urls=tuple(u.strip() for u in env.get("KIOSK_HUB_TURN_URLS", "").split(",")
                            if u.strip()),
            turn_secret=env.get("KIOSK_HUB_TURN_SECRET", ""),
        )
        overrides = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **overrides)

    @property
    def url(self) -> str:
        return self.database_url or sqlite_url(self.data_dir / "hub.sqlite3")

    @property
    def key_path(self) -> Path:
        return self.private_key_path or self.data_dir / KEY_FILE

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def today_date(self) -> date:
        return self.today or date.today()
