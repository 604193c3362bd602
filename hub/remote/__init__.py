"""Remote assisted service (远程帮办): desks that serve many centres, escalation, and the live
channel between a kiosk and the clerk who took its help call (docs/remote-help.md)."""
