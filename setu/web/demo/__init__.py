"""Synthetic demo data: agencies, demo logins and people for the two nodes.

`names` and `agencies` are pure Python (no Django import) and deterministic; `seed` writes them through
the apps' services; `supervisor` runs the demo's processes. Nothing here is real personal data.
"""
