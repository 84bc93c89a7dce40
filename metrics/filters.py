"""The period, as-of date and team/worker filters every measure answers for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Filters:
    """A question to a measure: flow measures count events dated in [date_from, date_to];
    snapshot measures look at `as_of` (default `date_to`). Nothing dated after as-of is seen."""

    date_from: dt.date
    date_to: dt.date
    as_of: dt.date | None = None
    team: str | None = None
    worker: str | None = None
    # Several teams at once (a team lead's own teams): rows of any of them; None = no such filter.
    teams: tuple[str, ...] | None = None
    # Teams whose children a viewer may see at child level (with scope "teams").
    scope_teams: tuple[str, ...] | None = None
    # How far ahead "coming up" snapshot measures look (CP reviews due), in weeks.
    horizon_weeks: int = 8
    # Which children's rows the viewer may see: None = all; "teams" = children allocated to
    # scope_teams; "cp" = children with a CP plan or initial conference; "none" = no child rows.
    scope: str | None = None
    # One child's rows only (the Child page and review pack): child-level measures keep the rows
    # whose person_id is this id; None = every child.
    person: str | None = None

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise ValueError(f"period ends ({self.date_to}) before it starts ({self.date_from})")
        if self.as_of is not None and self.as_of < self.date_to:
            raise ValueError(f"as-of date ({self.as_of}) is before the period end ({self.date_to})")

    @property
    def effective_as_of(self) -> dt.date:
        return self.as_of or self.date_to

    def previous_period(self) -> Filters:
        """The period of the same length just before this one (for 'change since' figures)."""
        days = (self.date_to - self.date_from).days + 1
        new_to = self.date_from - dt.timedelta(days=1)
        return replace(
            self, date_from=new_to - dt.timedelta(days=days - 1), date_to=new_to, as_of=None
        )
