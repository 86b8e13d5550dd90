"""A progress bar for the management commands that sweep many rows."""

from __future__ import annotations

from collections.abc import Callable
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
