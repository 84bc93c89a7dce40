"""One child's record: profile, chronology, siblings, workers and the review conference pack.

The pieces live in modules named for what they hold; this module names them in one place for
the pages (`from metrics import child as ch`):
- `metrics/child_record.py`: the record's plain facts and the measures' rows for one child,
  the profile, whether an id exists;
- `metrics/chronology.py`: the chronology and its kinds of event;
- `metrics/child_people.py`: siblings and the workers named on the record;
- `metrics/review_pack.py`: the review conference pack;
- `metrics/pack_html.py`: the pack as a printable HTML document.
"""

from __future__ import annotations

from metrics.child_people import siblings, workers
from metrics.child_record import exists, profile
from metrics.chronology import *  # noqa: F403 (the kinds of event: ch.REFERRAL, ch.KINDS, ...)
from metrics.chronology import CHRONOLOGY_COLUMNS, KINDS, chronology
from metrics.pack_html import review_pack_html
from metrics.review_pack import review_pack

__all__ = [
    "CHRONOLOGY_COLUMNS",
    "KINDS",
    "chronology",
    "exists",
    "profile",
    "review_pack",
    "review_pack_html",
    "siblings",
    "workers",
]
