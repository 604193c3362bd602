"""The centre admin's side of the kiosk: the hidden entry, the admin PIN and the admin screen."""
