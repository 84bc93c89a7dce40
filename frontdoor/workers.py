"""A few worker threads for the load's statements, the ready task of lowest rank first.

The load (frontdoor.loader) hands them the tables' writes as each file is staged, then the facts
(frontdoor.facts.FactBuilds) as soon as what each reads is final, so that the two cores are kept
busy across the load's steps rather than within each: a write is ranked before any fact (the
checks, and through them the calendar, wait for the writes), the facts among themselves in the
order FACTS lists them. DuckDB releases the GIL while a statement runs, so each worker's
statements use a core of their own.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any

import duckdb


class Workers:
    """`n` threads running submitted tasks, the lowest rank first among those waiting."""

    def __init__(self, n: int, name: str = "frontdoor-worker"):
        self._heap: list[tuple[Any, int, Future, Callable[..., Any], tuple]] = []
        self._cond = threading.Condition()
        self._seq = itertools.count()  # equal ranks: in the order submitted
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}-{i}", daemon=True)
            for i in range(max(1, n))
        ]
        for t in self._threads:
            t.start()

    def submit(self, rank: Any, fn: Callable[..., Any], *args: Any) -> Future:
        """Run `fn(*args)` when a worker is free and no task of lower rank waits. After
        `shutdown`, the task is not run (its future is cancelled)."""
        future: Future = Future()
        with self._cond:
            if self._closed:
                future.cancel()
                return future
            heapq.heappush(self._heap, (rank, next(self._seq), future, fn, args))
            self._cond.notify()
        return future

    def _work(self) -> None:
        while True:
            with self._cond:
                while not self._heap and not self._closed:
                    self._cond.wait()
                if not self._heap:
                    return
                _, _, future, fn, args = heapq.heappop(self._heap)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args)
            except BaseException as e:  # noqa: BLE001 - handed to whoever waits on it
                future.set_exception(e)
            else:
                future.set_result(result)

    def shutdown(self, cancel: bool = False) -> None:
        """Take no more tasks; with `cancel`, drop those not started. Returns when the tasks
        running (and, without `cancel`, those waiting) are done."""
        with self._cond:
            self._closed = True
            if cancel:
                for _, _, future, _, _ in self._heap:
                    future.cancel()
                self._heap.clear()
            self._cond.notify_all()
        for t in self._threads:
            t.join()

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown(cancel=exc[0] is not None)


class Cursors:
    """Cursors of `con` for the workers' statements, each made from one cursor made on the
    caller's thread, which runs nothing else: no worker calls `con` while the caller's thread
    runs a statement on it (a connection's results are the connection's:
    ResourceInUseException)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._factory = con.cursor()
        self._lock = threading.Lock()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one task, closed after it."""
        with self._lock:
            cur = self._factory.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def close(self) -> None:
        """Close the cursor the others are made from (once no task is running)."""
        self._factory.close()
