"""Assisted-service kiosk: `python main.py --help` lists the commands (they live in ui/cli.py,
which an installed kiosk runs as `assisted-kiosk`)."""

import sys

from ui.cli import add_helper, main, recognise, remove_helper, run_kiosk

__all__ = ["add_helper", "main", "recognise", "remove_helper", "run_kiosk"]

if __name__ == "__main__":
    sys.exit(main())
