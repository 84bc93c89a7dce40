"""Lists longer than the screen shows (ui/tables.py `list_rows`): the first rows on screen, the
count and the cap said in words, every row in the download; and the Audit log page, which reads
the log once and then only what is added to it (frontdoor/audit.py `entries`).

The cap is the app's own setting ($FRONTDOOR_LIST_ROWS), set small here so the 5,000-child
sample's lists run over it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import streamlit

from frontdoor import audit
from tests import test_access as access
from tests.test_access import ANALYST_EMAIL, SENIOR, csv, entries, ok, open_as, table

# The sample database with a temporary audit log and roles file (tests/test_access.py).
audit_log = access.audit_log
env = access.env

CAP = 25


@pytest.fixture
def buttons(monkeypatch) -> dict[str, dict]:
    """Every st.download_button of a run by widget key: its data (bytes, or the function that
    makes them when pressed) and its on_click (the audit entry of a press)."""
    seen: dict[str, dict] = {}
    original = streamlit.download_button

    def capture(label, data, *args, **kwargs):
        seen[kwargs.get("key") or label] = {"data": data, "on_click": kwargs.get("on_click")}
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", capture)
    return seen


CAPPED = re.compile(
    r"([\d,]+) rows: only the first ([\d,]+), (.+), are shown here\. "
    r"The CSV download has all ([\d,]+)\."
)


def capped_note_of(text: str) -> re.Match | None:
    return CAPPED.fullmatch(text)


def capped_note(at) -> re.Match | None:
    """The (first) note of a capped list on the page."""
    found = [m for m in (capped_note_of(c.value) for c in at.caption) if m]
    return found[0] if found else None


def number(text: str) -> int:
    return int(text.replace(",", ""))


def test_my_team_today_over_the_cap_shows_the_first_rows_and_downloads_every_row(
    env, audit_log, buttons, monkeypatch
):
    # Every team's work (a senior manager), whole: the list to compare with.
    whole_at = ok(open_as(SENIOR, "pages/my_team.py", {"team": "all"}))
    whole = table(whole_at, "team_worklist")
    assert len(whole) > CAP and capped_note(whole_at) is None

    monkeypatch.setenv("FRONTDOOR_LIST_ROWS", str(CAP))
    at = ok(open_as(SENIOR, "pages/my_team.py", {"team": "all"}))
    shown = table(at, "team_worklist")
    # The first rows of the same list, in its order (most urgent first).
    assert len(shown) == CAP
    assert list(shown["person_id"]) == list(whole["person_id"][:CAP])
    assert list(shown["item"]) == list(whole["item"][:CAP])
    # Said in words: how many there are, that only the first are shown, and in what order.
    note = capped_note(at)
    assert note is not None, [c.value for c in at.caption]
    total, first, order, everything = note.groups()
    assert number(total) == number(everything) == len(whole) and number(first) == CAP
    assert order == "most urgent first"
    assert [s.value for s in at.subheader if "things to do" in s.value] == [
        f"{len(whole):,} things to do, most urgent first"
    ]
    # The download has every row, in the same order, made when the button is pressed.
    button = buttons["dl_team_worklist"]
    assert callable(button["data"])
    rows = csv(button["data"])
    assert len(rows) == len(whole)
    assert list(rows["person_id"]) == list(whole["person_id"])
    # Pressing it is audited with every child it hands over, not only those on screen.
    before = len(entries(audit_log))
    button["on_click"]()
    pressed = entries(audit_log)[before:]
    assert [e["action"] for e in pressed] == ["download"]
    assert pressed[0]["person_ids"] == list(rows["person_id"])
    # Listing the rows on screen was audited with the rows shown only.
    shown_entries = [e for e in entries(audit_log) if e["action"] == "rows_shown"]
    assert shown_entries[-1]["person_ids"] == list(shown["person_id"])


def test_audit_log_shows_the_newest_entries_and_downloads_them_all(
    env, audit_log, buttons, monkeypatch
):
    monkeypatch.setenv("FRONTDOOR_LIST_ROWS", str(CAP))
    many = [f"C{i:03d}" for i in range(60)]
    for i in range(40):
        audit.record(f"user{i:02d}", "team_lead", "child_view", person_ids=["C001"])
    audit.record("user-last", "analyst", "download", person_ids=many, detail="a long list")

    at = ok(open_as(ANALYST_EMAIL, "pages/audit.py"))
    written = entries(audit_log)
    log = table(at, "audit_entries")
    assert len(log) == CAP
    # Newest first: the last entry written is the first row; the long list is shortened on
    # screen (how many, 20 named, the rest counted).
    newest = [e for e in written if e["user"] == "user-last"][0]
    assert "user-last" in set(log["user"])
    row = log[log["user"] == "user-last"].iloc[0]
    assert row["person_ids"] == "60 children: " + ", ".join(many[:20]) + " and 40 more"
    assert list(log["user"][:1]) == [written[-1]["user"]]
    assert [m.value for m in at.metric if m.label == "Entries"] == [f"{len(written):,}"]
    note = capped_note(at)
    assert note is not None and number(note.group(1)) == len(written)
    assert note.group(3) == "newest first"
    # The download: every entry, every child of each.
    rows = csv(buttons["dl_audit_entries"]["data"])
    assert len(rows) == len(written)
    assert ", ".join(many) in set(rows["person_ids"]) and newest["detail"] in set(rows["detail"])

    # Entries written since are on the next run, at the top.
    audit.record("user-newer", "analyst", "child_view", person_ids=["C002"])
    ok(at.run())
    assert table(at, "audit_entries")["user"].iloc[0] == "user-newer"
    assert [m.value for m in at.metric if m.label == "Entries"] == [f"{len(entries(audit_log)):,}"]


def test_audit_entries_are_read_once_then_only_what_was_added(tmp_path):
    log = tmp_path / "audit.jsonl"
    audit.record("a", "analyst", "child_view", person_ids=["P1"], path=log)
    audit.record("b", "analyst", "child_view", person_ids=["P10", "P2"], path=log)
    assert list(audit.entries(log)["user"]) == ["b", "a"]
    # A line still being written (no newline yet) waits until it is whole.
    with open(log, "a", encoding="utf-8") as handle:
        handle.write('{"at": "2025-01-02T20:00:00+00:00", "user": "c", "action": "child_')
    assert list(audit.entries(log)["user"]) == ["b", "a"]
    with open(log, "a", encoding="utf-8") as handle:
        handle.write('view", "person_ids": ["P3"], "filters": {"team": "T1"}}\n')
    found = audit.entries(log)
    assert list(found["user"]) == ["c", "b", "a"]
    assert found["filters"].iloc[0] == '{"team":"T1"}'
    # A child filter matches an id whole, never part of one (P1 is not P10).
    assert list(audit.read(log, person_id="P1")["user"]) == ["a"]
    assert list(audit.read(log, person_id="P2")["user"]) == ["b"]
    # Since a day: entries written on or after it (in UTC, as they are written).
    today = dt.date.fromisoformat(found["at"].iloc[-1][:10])  # the day a was written
    assert list(audit.read(log, since=today)["user"]) == ["b", "a"]  # c: dated 2 Jan 2025
    assert audit.read(log, since=today + dt.timedelta(days=1)).empty
    assert list(audit.read(log, user="a", action="child_view")["user"]) == ["a"]
    # A log replaced (rotated) is read again from its start.
    fresh = tmp_path / "fresh.jsonl"
    audit.record("d", "analyst", "load", path=fresh)
    os.replace(fresh, log)
    assert list(audit.entries(log)["user"]) == ["d"]
    Path(log).unlink()
    assert audit.entries(log).empty


def test_a_list_of_flagged_rows_is_flagged_before_it_is_cut(env, buttons, monkeypatch):
    """Re-referrals are the referrals flagged so: the list keeps them from every referral of
    the period and then shows its first rows (it had been the flagged among the first 5,000
    referrals, which at scale left most re-referrals out)."""
    whole_at = ok(open_as(SENIOR, "pages/front_door.py"))
    whole = table(whole_at, "fd_rereferral_children")
    assert len(whole) > CAP and whole["rereferral"].astype(bool).all()

    monkeypatch.setenv("FRONTDOOR_LIST_ROWS", str(CAP))
    at = ok(open_as(SENIOR, "pages/front_door.py"))
    shown = table(at, "fd_rereferral_children")
    assert len(shown) == CAP and shown["rereferral"].astype(bool).all()
    assert list(shown["referral_id"]) == list(whole["referral_id"][:CAP])
    notes = [
        m
        for m in (capped_note_of(c.value) for c in at.caption)
        if m and number(m.group(1)) == len(whole)
    ]
    assert notes, [c.value for c in at.caption]
    rows = csv(buttons["dl_fd_rereferral_children"]["data"])
    assert list(rows["referral_id"]) == list(whole["referral_id"])
