"""One part of a synthetic extract: the children of one chunk, built table by table.

`Extract` gathers the model's groups of tables (each a mixin in its own module) and holds what
they share: the random streams, the period and its working days, the tables built so far, and
where each kind of id carries on from (so the parts of a chunked extract never reuse an id).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from frontdoor.generate.arrays import id_array
from frontdoor.generate.assessments import Assessments
from frontdoor.generate.casework import Casework
from frontdoor.generate.episodes import Episodes
from frontdoor.generate.front_door import FrontDoor
from frontdoor.generate.protection import Protection
from frontdoor.generate.reference import CLEAN, DEFAULTS
from frontdoor.generate.workdays import WorkCalendar, day_number
from frontdoor.generate.workforce import Workforce
from frontdoor.progress import ProgressFn
from frontdoor.schema import DATE, NUMBER, TABLES


class Extract(Episodes, Workforce, FrontDoor, Assessments, Protection, Casework):
    def __init__(
        self,
        rng: np.random.Generator,
        children: int,
        start: dt.date,
        end: dt.date,
        weaknesses: bool = True,
        rng2: np.random.Generator | None = None,
        id_offsets: dict[str, int] | None = None,
        part: int = 0,
    ):
        self.rng = rng
        self.weak = weaknesses
        # The second round's draws: a stream of their own, so the first round's stay the same.
        self.rng2 = rng2 if rng2 is not None else np.random.default_rng(0)
        self.n_children = children
        self.start = day_number(start)
        self.end = day_number(end)
        self.cal = WorkCalendar(self.start - 400, self.end + 4000)
        self.k_start = int(self.cal.index(self.cal.roll(self.start)))
        self.k_end = int(self.cal.index(self.end))
        if self.k_end < self.k_start:
            raise ValueError("the period has no working day")
        self.tables: dict[str, dict[str, pa.Array]] = {}
        self.part = part  # which part of the extract this is (0: the first, or the only one)
        # Ids already given by earlier parts, by prefix; this part's are added as it makes them.
        self.id_offsets = dict(id_offsets or {})
        self.ids_made: dict[str, int] = {}

    def k(self, name: str):
        """A parameter of the model: the default authority's, or the well-run one's (CLEAN)."""
        if not self.weak:
            return CLEAN[name]
        return DEFAULTS[name]

    def ids(self, prefix: str, n: int, width: int = 7) -> pa.Array:
        """`n` new ids `<prefix><number>`, numbered on from the earlier parts' (each prefix names
        one kind of id and is used once per part)."""
        if prefix in self.ids_made:
            raise ValueError(f"ids {prefix!r} made twice in one part")
        self.ids_made[prefix] = n
        return id_array(prefix, n, width, first=self.id_offsets.get(prefix, 0) + 1)

    def id_offsets_after(self) -> dict[str, int]:
        """Where each kind of id carries on from in the next part."""
        after = dict(self.id_offsets)
        for prefix, n in self.ids_made.items():
            after[prefix] = after.get(prefix, 0) + n
        return after

    def build(self, progress: ProgressFn) -> dict[str, pa.Table]:
        steps = [
            ("families", self.families),
            ("referrals", self.referrals),
            ("children's episodes", self.child_episodes),
            ("allocations", self.segments),
            ("workforce", self.workforce),
            ("caseloads", self.assign_workers),
            ("contacts", self.contacts),
            ("persons", self.persons),
            ("episodes", self.episodes_table),
            ("assessments", self.assessments),
            ("child protection", self.child_protection),
            ("involvements", self.involvements),
            ("visits", self.visits),
            ("case notes", self.case_notes),
            ("factors and views", self.factors_and_views),
        ]
        self.person_ids = self.ids("P", self.n_children, 6)
        for i, (label, step) in enumerate(steps):
            progress(0.6 * i / len(steps), f"building {label}")
            step()
        out = {}
        for name, spec in TABLES.items():
            cols = self.tables.pop(name)
            arrays = []
            rows = len(next(iter(cols.values())))
            for col, kind in spec.columns.items():
                # A column only other sources carry (Annex A's stated counts): left empty.
                a = cols[col] if col in cols else pa.nulls(rows)
                if kind == DATE:
                    a = a.cast(pa.date32())
                elif kind == NUMBER:
                    a = a.cast(pa.float64())
                else:
                    a = a.cast(pa.string())
                arrays.append(a)
            out[name] = pa.Table.from_arrays(arrays, names=list(spec.columns))
        return out
