"""`python -m hub`: serve the hub; `python -m hub migrate`; `add-kiosk ...`; `import-bundle FILE`.

    python -m hub --demo                      demo data, SQLite in the data folder, port 8311
    python -m hub --database-url postgresql+psycopg://hub@db/hub --host 0.0.0.0
    python -m hub migrate --database-url ...  bring a database to the hub's schema
    python -m hub add-kiosk centre-12-a --centre "Centre 12"   prints the new kiosk's token
    python -m hub add-desk centre-12-desk --centre "Centre 12" prints the helper desk's token
    python -m hub add-desk --region "County hall" --serves "Centre 12,Centre 13"
                                              a regional desk (remote help: docs/remote-help.md)
    python -m hub new-key                     make the private key kiosks seal submissions to
    python -m hub import-bundle FILE          file a USB bundle carried from an offline kiosk
    python -m hub review                      list problem reports whose words await review
    python -m hub review REF --publish|--withhold [--note TEXT]   decide what Open311 shows
    python -m hub set-setting --centre C|--kiosk K KEY VALUE   push a kiosk setting (- removes)
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from hub.config import Settings

COMMANDS = ("serve", "migrate", "add-kiosk", "add-desk", "new-key", "import-bundle", "review",
            "set-setting")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hub", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="serve", choices=COMMANDS)
    parser.add_argument("target", nargs="?", metavar="ID|FILE",
                        help="add-kiosk: the new kiosk's id; add-desk: the new desk's id; "
                        "import-bundle: the bundle file; review: the report's reference; "
                        "set-setting: the key (settings.toml's)")
    parser.add_argument("value", nargs="?", help="set-setting: the value (\"-\" removes it)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8311)
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: SQLite in the data "
                        "folder; env KIOSK_HUB_DATABASE_URL)")
    parser.add_argument("--data-dir", type=Path, help="env KIOSK_HUB_DATA")
    parser.add_argument("--private-key", type=Path, help="env KIOSK_HUB_PRIVATE_KEY")
    parser.add_argument("--demo", action="store_true", default=None,
                        help="seed the demo kiosk, citizens, bills and hospitals")
    parser.add_argument("--centre", default="", help="add-kiosk, add-desk, set-setting: the "
                        "community centre")
    parser.add_argument("--kiosk", default="", help="set-setting: one kiosk (over its centre)")
    parser.add_argument("--region", default="", help="add-desk: a regional desk's name (its "
                        "id too, unless one is given)")
    parser.add_argument("--serves", default="", help="add-desk --region: the centres it serves, "
                        "comma separated")
    decision = parser.add_mutually_exclusive_group()
    decision.add_argument("--publish", dest="publish", action="store_true", default=None,
                          help="review: publish the report's words on Open311")
    decision.add_argument("--withhold", dest="publish", action="store_false",
                          help="review: never publish them (the report itself stays listed)")
    parser.add_argument("--note", help="review: a public status note for the report")
    parser.add_argument("--log-level", default="info", choices=("debug", "info", "warning"),
                        help="info logs every request (its path, never its query string)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_intermixed_args(argv)  # set-setting --centre C KEY VALUE
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    settings = Settings.from_env(database_url=args.database_url, data_dir=args.data_dir,
                                 private_key_path=args.private_key, demo=args.demo)
    if args.command == "migrate":
        from hub import migrate

        settings.data_dir.mkdir(parents=True, exist_ok=True)
        migrate.upgrade(settings.url)
        print(f"database at revision {migrate.head()}")
        return 0
    if args.command == "new-key":
        from hub import keys

        if settings.key_path.exists():
            print(f"{settings.key_path} already exists; kiosks may hold its public half",
                  file=sys.stderr)
            return 1
        keys.load_or_create(settings.key_path, create=True)
        print(f"new private key written to {settings.key_path}")
        return 0
    if args.command == "add-kiosk":
        return _add_token_holder(settings, "kiosk", args.target, args.centre)
    if args.command == "add-desk" and (args.region or args.serves):
        return _add_regional_desk(settings, args.target or args.region, args.region,
                                  args.serves)
    if args.command == "add-desk":
        return _add_token_holder(settings, "desk", args.target, args.centre)
    if args.command == "import-bundle":
        return _import_bundle(settings, args.target)
    if args.command == "review":
        from hub.review import review_command

        return review_command(settings, args.target, args.publish, args.note)
    if args.command == "set-setting":
        from hub.fleet import set_setting_command

        return set_setting_command(settings, args.centre, args.kiosk, args.target, args.value)
    return _serve(settings, args.host, args.port, args.log_level)


def _add_token_holder(settings: Settings, what: str, holder_id: str | None,
                      centre: str) -> int:
    """A kiosk or a helper desk: a new token, kept only as its hash, shown this once."""
    from hub.auth import new_token, token_hash
    from hub.db import Database, Desk, Kiosk

    if not holder_id:
        print(f"add-{what} needs the {what}'s id", file=sys.stderr)
        return 2
    token = new_token()
    row = (Kiosk(kiosk_id=holder_id, centre=centre, token_hash=token_hash(token))
           if what == "kiosk" else
           Desk(desk_id=holder_id, centre=centre, token_hash=token_hash(token)))
    db = Database(settings.url)
    try:
        with db.write() as session, session.begin():
            session.merge(row)
    finally:
        db.dispose()
    print(f"{what} {holder_id}: token {token}")
    if what == "kiosk":
        print("Enter the token in the kiosk's hub settings; it is shown only this once.")
    else:  # a desk sees and answers the help requests of its centre's kiosks
        print("Open /desk on the hub at the helper desk and sign in with this token; it is "
              "shown only this once.")
    return 0


def _add_regional_desk(settings: Settings, desk_id: str, region: str, serves: str) -> int:
    """A desk serving many centres' kiosks (remote help), with a new token shown once."""
    from hub.auth import new_token, token_hash
    from hub.db import Database
    from hub.remote.desks import add_regional_desk

    centres = list(dict.fromkeys(c.strip() for c in serves.split(",") if c.strip()))
    if not region.strip() or not centres:
        print('add-desk --region NAME --serves "CENTRE,CENTRE" needs both: the desk\'s name '
              "and the centres it serves", file=sys.stderr)
        return 2
    token = new_token()
    db = Database(settings.url)
    try:
        add_regional_desk(db, desk_id, region.strip(), centres, token_hash(token))
    finally:
        db.dispose()
    print(f"desk {desk_id}: token {token}")
    print(f"It serves {', '.join(centres)}. Open /desk/region on the hub at the desk and sign "
          "in with this token; it is shown only this once.")
    return 0


def _import_bundle(settings: Settings, file: str | None) -> int:
    """File a kiosk's USB bundle: "N filed, M already filed, K refused", then each refusal."""
    from hub.app import Hub, NotMigrated
    from hub.bundle_import import import_bundle
    from hub.keys import MissingKey
    from kiosk.sync.bundle import BundleError

    if not file:
        print("import-bundle needs the bundle file (kiosk-...kbundle)", file=sys.stderr)
        return 2
    try:
        hub = Hub.open(settings)
    except (NotMigrated, MissingKey) as problem:
        print(f"The bundle cannot be imported: {problem}", file=sys.stderr)
        return 1
    try:
        report = import_bundle(hub, Path(file))
    except BundleError as refusal:
        print(f"The whole bundle was refused, nothing was filed: {refusal}", file=sys.stderr)
        return 1
    finally:
        hub.db.dispose()
    print(f"{report.summary()} (kiosk {report.kiosk_id})")
    for key, reason in report.refused:
        print(f"  refused {key}: {reason}")
    return 1 if report.refused else 0


def _serve(settings: Settings, host: str, port: int, log_level: str) -> int:
    import uvicorn

    from hub.app import NotMigrated, create_app
    from hub.keys import MissingKey

    try:
        app = create_app(settings)
    except (NotMigrated, MissingKey) as problem:
        print(f"The hub cannot start: {problem}", file=sys.stderr)
        return 1
    url = f"http://{host}:{port}"
    print(f"Hub serving at {url} (database: {_safe(settings.url)})", flush=True)
    if settings.demo:  # the demo tokens are in README.md, not in logs
        print("Demo mode: kiosk 'demo-kiosk' and the demo helper desk (tokens: README.md)",
              flush=True)
        print(f"Helper desk: {url}/desk", flush=True)
    logging.getLogger().setLevel(log_level.upper())
    uvicorn.run(app, host=host, port=port, log_level=log_level)
    return 0


def _safe(url: str) -> str:
    """The URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    raise SystemExit(main())
