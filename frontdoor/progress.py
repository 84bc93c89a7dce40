"""A plain text progress bar for long command-line work (generate, load, bench)."""

from __future__ import annotations

import sys
from collections.abc import Callable

ProgressFn = Callable[[float, str], None]


def null_progress(fraction: float, message: str) -> None:
    """Progress callback that shows nothing (library use, tests)."""


def bar(stream=sys.stderr, width: int = 30) -> ProgressFn:
    """Return a callback drawing `[#####     ]  50% loading ssd_contacts` on one line of `stream`."""

    def show(fraction: float, message: str) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        filled = int(round(width * fraction))
        end = "\n" if fraction >= 1.0 else ""
        stream.write(
            f"\r[{'#' * filled}{' ' * (width - filled)}] {fraction:4.0%} {message:<40}{end}"
        )
        stream.flush()

    return show
