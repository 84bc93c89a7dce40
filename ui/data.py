"""One read-only DuckDB connection per database file, shared by every session, and cached
query results. A new load replaces the file; its modification time is part of every cache key,
so the next run picks the new data up without a restart."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from metrics import Engine, Filters, Settings, get, lists, load_settings, lookups

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO / "data" / "sample.duckdb"


def db_path() -> Path:
    """The database the app reads: $FRONTDOOR_DB, else the built-in sample."""
    return Path(os.environ.get("FRONTDOOR_DB", DEFAULT_DB))


def settings_path() -> str | None:
    return os.environ.get("FRONTDOOR_SETTINGS")


@dataclass(frozen=True)
class Source:
    """Identifies one version of the data: path + modification time + settings file."""

    path: str
    mtime: float
    settings: str | None


def current_source() -> Source | None:
    path = db_path()
    if not path.exists():
        return None
    return Source(str(path), path.stat().st_mtime, settings_path())


def by_value(value: object) -> bytes:
    """A cache key part for Filters and Source: their pickle (dates, strings, tuples, numbers),
    0.01 ms against 0.3 ms for st.cache_data's own walk of a dataclass, on every cached call
    of every page run. Pickled without its memo (`_pickled`), so equal values give equal bytes."""
    return _pickled(value)


def _pickled(value: object) -> bytes:
    """`value`'s pickle without the pickler's memo: an ordinary pickle writes an object met
    twice as a back-reference, so equal values held as one object or as two equal ones (a
    frame fresh from DuckDB, which shares its column names' strings, and its copy from the
    cache, which does not) pickle differently, and a key made from them would miss the
    cache: every figure was built twice, once on a page's first run and once on its second.
    Memo-free, an equal value always gives the same bytes. (Values here hold no cycles; one
    that did would fail, and is pickled the ordinary way instead.)"""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo
    try:
        pickler.dump(value)
    except (RecursionError, ValueError):
        return pickle.dumps(value, protocol=5)
    return buffer.getvalue()


def fingerprint(*parts: object) -> str:
    """A digest of `parts` by value, for a cache key: their pickle holds every value (a frame's
    every cell, its columns and types), so different arguments never share one, and equal
    ones always do (`_pickled`); far faster than st.cache_data's own hashing of a frame
    (0.1 ms against 2-3 ms for a monthly frame)."""
    return hashlib.blake2b(_pickled(parts), digest_size=20).hexdigest()


# st.cache_data's hash_funcs for the answers' arguments.
HASH = {Filters: by_value, Source: by_value}

# How long an aggregate answer (a headline, a trend, a breakdown, the data's dates and names,
# the Overview's drawing) is kept: until the data changes, which changes its key (Source: the
# file's modification time), so it is never stale. Kept for 10 minutes instead, the start-up
# warm-up's answers expired while the server stood idle and the next first visitor paid the
# cold cost again. Each is small (a dict, a frame of months or teams) and their number bounded
# (max_entries). Lists of children (`rows`, `count`) can be large and are asked with many
# filters, so they still expire (LIST_TTL).
TTL = None
LIST_TTL = 600

_OPEN: dict[str, tuple[float, duckdb.DuckDBPyConnection]] = {}
_OPEN_LOCK = threading.Lock()


@st.cache_resource(max_entries=3, show_spinner=False)
def _connection(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    """Read-only: the loader writes a new file beside this one and swaps it in. DuckDB hands a
    new connection to a path the database instance already open there, so the old file's
    connection is closed first; otherwise a new load would stay unseen. The same version of
    the file keeps the connection already open: an Engine of another settings file may hold
    it still (this cache can drop its entry before `_engine` drops that Engine's), and
    closing it would break that Engine's every query."""
    with _OPEN_LOCK:
        found = _OPEN.get(path)
        if found is not None and found[0] == mtime:
            return found[1]
        if found is not None:
            found[1].close()
        con = duckdb.connect(path, read_only=True)
        _OPEN[path] = (mtime, con)
        return con


@st.cache_resource(max_entries=3, show_spinner=False)
def _settings(path: str | None) -> Settings:
    return load_settings(path)


def settings_problem(source: Source) -> str | None:
    """Why the settings file (or the comparators file it names) cannot be used, or None."""
    try:
        _settings(source.settings)
    except (OSError, ValueError) as exc:  # TOML and comparators errors are ValueErrors
        return str(exc)
    return None


@st.cache_resource(max_entries=3, show_spinner=False)
def _engine(path: str, mtime: float, settings: str | None) -> Engine:
    return Engine(_connection(path, mtime), _settings(settings))


def engine(source: Source) -> Engine:
    """The Engine of this version of the data, shared by every session (each query runs on its
    own cursor; the tables the extract lacks are looked up once, not on every call)."""
    return _engine(source.path, source.mtime, source.settings)


@st.cache_data(ttl=TTL, max_entries=20, show_spinner=False, hash_funcs=HASH)
def facts(source: Source) -> tuple[dict[str, str], dt.date, list[tuple[str, str]]]:
    """What every page's setup reads about the data: load facts, the data's end date, teams.
    They change only with a new load, so they are not queried again on every rerun."""
    eng = engine(source)
    return lookups.load_meta(eng), lookups.data_end(eng), lookups.teams(eng)


@st.cache_data(ttl=TTL, max_entries=20, show_spinner=False, hash_funcs=HASH)
def data_start(source: Source) -> dt.date | None:
    """The data's first referral or contact date (None if it has none)."""
    return lookups.data_start(engine(source))


@st.cache_data(ttl=TTL, max_entries=200, show_spinner=False, hash_funcs=HASH)
def workers(source: Source, team: str | None) -> list[tuple[str, str]]:
    """Workers a filter offers for `team` (all teams: None)."""
    return lookups.workers(engine(source), team)


def aggregate_filters(filters: Filters) -> Filters:
    """The filters an aggregate answers to: the viewer's scope limits child-level rows only
    (Engine.rows), never a headline, trend or breakdown, so it is left out of those answers'
    cache keys and every role shares one cached answer (and the start-up warm-up's)."""
    if filters.scope is None and filters.scope_teams is None:
        return filters
    return replace(filters, scope=None, scope_teams=None)


def headline(source: Source, key: str, filters: Filters) -> dict:
    return _headline(source, key, aggregate_filters(filters))


def monthly(source: Source, key: str, filters: Filters) -> pd.DataFrame:
    return _monthly(source, key, aggregate_filters(filters))


def breakdown(source: Source, key: str, filters: Filters, by: str) -> pd.DataFrame:
    return _breakdown(source, key, aggregate_filters(filters), by)


@st.cache_data(ttl=TTL, max_entries=2000, show_spinner=False, hash_funcs=HASH)
def _headline(source: Source, key: str, filters: Filters) -> dict:
    """Every aggregate, each share with its numerator and denominator (for "41 of 48")."""
    return engine(source).headline(get(key), filters, parts=True)


@st.cache_data(ttl=TTL, max_entries=1000, show_spinner=False, hash_funcs=HASH)
def _monthly(source: Source, key: str, filters: Filters) -> pd.DataFrame:
    return engine(source).monthly(get(key), filters)


@st.cache_data(ttl=TTL, max_entries=1000, show_spinner=False, hash_funcs=HASH)
def _breakdown(source: Source, key: str, filters: Filters, by: str) -> pd.DataFrame:
    return engine(source).breakdown(get(key), filters, by)


@st.cache_data(ttl=LIST_TTL, max_entries=500, show_spinner=False, hash_funcs=HASH)
def rows(source: Source, key: str, filters: Filters, limit: int | None = 5000) -> pd.DataFrame:
    return engine(source).rows(get(key), filters, limit=limit)


# A list's rows kept by the measure's own flag columns, and its order (metrics/lists.py).
Where = lists.Where
Order = lists.Order


@st.cache_data(ttl=LIST_TTL, max_entries=4, show_spinner=False, hash_funcs=HASH)
def kept_rows(
    source: Source, key: str, filters: Filters, where: Where, order: Order
) -> pd.DataFrame:
    """Every row of the measure kept by `where`, in `order`, for a long list's download: read
    when its button is pressed (its file and its audit entry both ask, hence the few kept)."""
    return lists.first_rows(engine(source), get(key), filters, where, order, None)[0]


@st.cache_data(ttl=LIST_TTL, max_entries=500, show_spinner=False, hash_funcs=HASH)
def first_rows(
    source: Source, key: str, filters: Filters, where: Where, order: Order, limit: int
) -> tuple[pd.DataFrame, int]:
    """The first `limit` rows of `kept_rows`, and how many there are in all: what a page run
    reads of a long list, kept, ordered, cut and counted in SQL (metrics/lists.py), so a list
    of flagged rows is never the flagged among the first 5,000, and a run neither fetches nor
    caches the whole list (150,000 rows at 1,000,000 children)."""
    return lists.first_rows(engine(source), get(key), filters, where, order, limit)


@st.cache_data(ttl=LIST_TTL, max_entries=500, show_spinner=False, hash_funcs=HASH)
def count(source: Source, key: str, filters: Filters, by: tuple[str, ...] = ()) -> pd.DataFrame:
    return engine(source).count(get(key), filters, by)


def names() -> tuple[dict[str, str], dict[str, str]]:
    """Team and worker display names of the data in use ({} when there is none)."""
    source = current_source()
    if source is None:
        return {}, {}
    return dict(facts(source)[2]), dict(workers(source, None))


def unavailable_reason(source: Source, key: str) -> str | None:
    return engine(source).unavailable_reason(get(key))
