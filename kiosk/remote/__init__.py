"""Remote assisted service (远程帮办): a clerk at a centre or regional desk sees the kiosk's
screen with the citizen's consent, points, speaks, fills a field. Qt-free: the screen model,
the rules for what a desk may do, the audit of every remote act, and the link's bookkeeping
(docs: /work/wt/REMOTE.md is the contract with the hub and the desk page)."""
