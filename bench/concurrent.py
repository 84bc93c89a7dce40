"""Many people at once: `frontdoor bench --concurrent N` against one server.

One server as `make run` starts it (`streamlit run serve.py`: the app and its start-up warm-up)
on a database. Once its warm-up is over:

1. **the first visitor after a restart**: one session opens the Overview with the default filters
   (what the first person of the morning waits for); for comparison the same on a server started
   without the warm-up (`streamlit run app.py`, as before);
2. **N people at once**: N sessions (`bench.streamlit_client.Session`, Streamlit's websocket
   protocol, no browser) start together; each opens the Overview, then every menu page in an
   order of its own, changing the filters on every other page (a quarter, a financial year, a
   team, a team in a quarter: answers nobody has asked for yet), as a person clicking through
   the menu would, pausing between pages to read (`think` seconds on average, each pause drawn
   between half and one and a half times that; 0: no pause, every session asks again as soon
   as its page is served, a stress test). Each page run is timed from asking to the script's
   end, as the server serves it (the drawing in each person's browser, on their own computer,
   comes on top).

Reported: the page runs' median and 95th percentile, the slowest, and the errors (a page drawing
an exception, no answer within the timeout, a dropped connection).
"""

from __future__ import annotations

import asyncio
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from bench.browser import streamlit_server, wait_for_line
from bench.server_pages import menu_pages
from bench.streamlit_client import Run, Session, run_apart
from ui.warm import DONE as WARM_UP_DONE

# Filter changes (the URL's query string; the pages' filters follow it). Teams are the
# synthetic authority's (T01-T06); quarters and years within its last financial years.
FILTER_CHANGES = [
    "period=q&q=2025-3",
    "period=fy&fy=2024",
    "team=T04",
    "period=q&q=2025-4&team=T02",
    "period=fy&fy=2025&team=T05",
]
DEFAULT_THINK = 5.0  # seconds a person reads a page before the next, on average
WARM_UP_TIMEOUT = 900  # seconds to wait for the server's warm-up to finish
SEED = 2010


@dataclass
class ConcurrentResult:
    """N sessions against one server on one database."""

    people: int
    think: float = 0.0  # mean seconds a person pauses between pages
    runs: list[Run] = field(default_factory=list)
    wall_seconds: float = 0.0
    warm_up_seconds: float | None = None  # server start to the warm-up's end
    first_visit: float | None = None  # the Overview, first visitor, warmed server
    first_visit_unwarmed: float | None = None  # the same on `streamlit run app.py`
    error: str = ""  # the run could not be made at all

    @property
    def times(self) -> list[float]:
        return sorted(r.seconds for r in self.runs if not r.error)

    @property
    def errors(self) -> list[Run]:
        return [r for r in self.runs if r.error or r.exceptions]

    def percentile(self, q: float) -> float | None:
        """The q-th percentile (0-100) of the page times, nearest rank."""
        times = self.times
        if not times:
            return None
        rank = max(1, math.ceil(q / 100 * len(times)))
        return times[rank - 1]


async def _person(base: str, pages: list[str], rng: random.Random, think: float) -> list[Run]:
    session = Session(base)
    runs = []
    try:
        runs.append(await session.run("app.py", ""))
        order = pages[:]
        rng.shuffle(order)
        for i, page in enumerate(order):
            query = rng.choice(FILTER_CHANGES) if i % 2 else ""
            if think:
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
            runs.append(await session.run(page, query))
    finally:
        await session.close()
    return runs


async def _people(base: str, people: int, think: float) -> tuple[list[Run], float]:
    pages = [path for path, _ in menu_pages() if path != "app.py"]
    loop = asyncio.get_running_loop()
    started = loop.time()
    found = await asyncio.gather(
        *[_person(base, pages, random.Random(SEED + i), think) for i in range(people)]
    )
    return [run for runs in found for run in runs], loop.time() - started


async def _one_visit(base: str) -> float:
    session = Session(base)
    try:
        run = await session.run("app.py", "")
    finally:
        await session.close()
    if run.error or run.exceptions:
        raise RuntimeError(f"the Overview failed: {run.error or 'an exception drawn'}")
    return run.seconds


def run_concurrent(
    db: Path, workdir: Path, people: int, think: float = DEFAULT_THINK
) -> ConcurrentResult:
    """The first visitor (warmed and not) and `people` sessions at once, on `db`."""
    result = ConcurrentResult(people, think)
    audit, log = workdir / "bench-audit.jsonl", workdir / "bench-concurrent.log"
    try:
        with streamlit_server(db, audit, log, script="app.py") as base:
            result.first_visit_unwarmed = run_apart(_one_visit(base))
        with streamlit_server(db, audit, log, script="serve.py") as base:
            result.warm_up_seconds = wait_for_line(log, WARM_UP_DONE, WARM_UP_TIMEOUT)
            result.first_visit = run_apart(_one_visit(base))
            result.runs, result.wall_seconds = run_apart(_people(base, people, think))
    except (RuntimeError, TimeoutError, OSError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    return result
