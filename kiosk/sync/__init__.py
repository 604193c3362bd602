"""Sync with the hub: sealing, the outbox that loses nothing, and the sender that drains it."""
