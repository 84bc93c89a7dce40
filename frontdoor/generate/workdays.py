"""Working days for the generator: day numbers to working-day indexes and back, by lookup table
(the same bank holidays as the database's calendar), and calendar-month arithmetic."""

from __future__ import annotations

import datetime as dt

import numpy as np

from frontdoor.calendar import bank_holidays


def day_number(d: dt.date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


class WorkCalendar:
    """Day numbers (days since 1970-01-01) to working-day indexes and back, by table lookup."""

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi
        days = np.arange(lo, hi, dtype=np.int64)
        hols = np.array(sorted(bank_holidays()), dtype="datetime64[D]")
        self.is_wd = np.is_busday(days.astype("datetime64[D]"), holidays=hols)
        # cum[i] = working days on or before day lo + i.
        self.cum = np.cumsum(self.is_wd)
        self.workdays = days[self.is_wd]
        self.nwd = self.workdays.size

    def _i(self, d):
        return np.clip(np.asarray(d, dtype=np.int64) - self.lo, 0, self.hi - self.lo - 1)

    def index(self, d):
        """Index (into `workdays`) of the last working day on or before `d`."""
        return self.cum[self._i(d)] - 1

    def day(self, k):
        """Day number of working-day index `k`."""
        return self.workdays[np.clip(k, 0, self.nwd - 1)]

    def add(self, d, n):
        """wd_add: the earliest working day `n` working days after `d` (n >= 1, or d working)."""
        return self.day(self.index(d) + np.asarray(n, dtype=np.int64))

    def roll(self, d):
        """`d` if it is a working day, else the next working day."""
        i = self._i(d)
        return self.workdays[np.clip(self.cum[i] - self.is_wd[i], 0, self.nwd - 1)]


def add_months(d: np.ndarray, months: int) -> np.ndarray:
    """Calendar-month arithmetic on day numbers: 31 Jan + 1 month = 28/29 Feb."""
    dd = d.astype("datetime64[D]")
    m = dd.astype("datetime64[M]")
    dom = (dd - m.astype("datetime64[D]")).astype(np.int64)
    target = m + months
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    return target.astype("datetime64[D]").astype(np.int64) + np.minimum(dom, length - 1)
