"""The wording of days, times, zones and phone numbers as template filters, registered once.

Messages register the same functions on their own Jinja environment (services/messaging/compose.py).
"""
from __future__ import annotations

from flask import Blueprint

from portal.domain.wording import FILTERS


def register(bp: Blueprint) -> None:
    """Add every wording filter to the app a blueprint is registered on (safe to call twice)."""
    for name, function in FILTERS.items():
        bp.add_app_template_filter(function, name)
