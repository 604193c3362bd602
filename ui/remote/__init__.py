"""The kiosk's side of a remote desk's help (kiosk/remote holds the rules; this the screens)."""
