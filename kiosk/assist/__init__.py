"""Helpers ("volunteers") assisting a citizen at the kiosk, accountably.

- `audit`: the append-only, hash-chained audit log (and `verify`, its checker).
- `helpers`: helper accounts made by the admin; sign-in by PIN or badge QR, with lock-out.
- `assistance`: one helper helping one citizen: consent first, then every act is logged.

Nothing personal goes into the audit log: no typed values, PINs, names or ID numbers.

Practice mode: this package knows nothing about it. In practice mode the UI must not create a
real `Assistance` on the real `AuditLog` (use a throwaway log file, or none), and must mark
anything printed as practice.
"""
