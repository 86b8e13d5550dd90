"""Warnings for the operators: what the system still runs with but an administrator must
mend soon (a base rate not entered yet). The apps register a check each; ``/healthz``
lists them under ``warnings`` (still 200), ``manage.py check`` reports them as system
check warnings, and the admin index shows them."""

from __future__ import annotations

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Warning_ = Callable[[], list[str]]
_CHECKS: list[Warning_] = []


def register(check: Warning_) -> Warning_:
    """Register ``check``, a function answering the warnings in the active language."""
    if check not in _CHECKS:
        _CHECKS.append(check)
    return check


def current() -> list[str]:
    """Every registered warning; a check that cannot run (no database yet) says nothing."""
    found: list[str] = []
    for check in _CHECKS:
        try:
            found.extend(check())
        except Exception:  # a warning must never break the page that shows it
            logger.exception("the operators' warning %s failed", check.__name__)
    return found
