"""The demo data: contacts, classifications and setup as CSV, and Word letter templates.

Installed as the package ``segtui.sample_data``; ``segtui.domain.sample_data`` writes
and reads these files.
"""
