"""For the management commands that sweep many rows: a progress bar, the day option."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

WIDTH = 40


def progress_bar(stream: Any, threshold: int) -> Callable[[int, int], None]:
    """``progress(done, total)`` drawing ``[####....] done/total`` on ``stream`` (a
    command's ``stderr``) once ``total`` reaches ``threshold``; fewer finish before a
    bar would help."""

    def progress(done: int, total: int) -> None:
        if total < threshold:
            return
        filled = WIDTH * done // total
        stream.write(f"\r[{'#' * filled}{'.' * (WIDTH - filled)}] {done}/{total}", ending="")
        if done == total:
            stream.write("")

    return progress


def day_option(value: str | None) -> date | None:
    """A command's ``--today YYYY-MM-DD`` as a date (None when not given); anything
    else is the command's error."""
    from django.core.management.base import CommandError

    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError("--today takes a date: YYYY-MM-DD.") from None
