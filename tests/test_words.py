"""Values in words: one date style, DfE codes decoded, flags and day counts said plainly."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from metrics.words import date_text, days_text, decode, yes_no
from ui.tables import label, readable


def test_one_date_style():
    assert date_text(dt.date(2026, 2, 3)) == "3 Feb 2026"
    assert date_text(pd.Timestamp("2025-12-25")) == "25 Dec 2025"
    assert date_text(dt.datetime(2024, 11, 30, 14, 5)) == "30 Nov 2024"
    assert date_text(None) == "" and date_text(pd.NaT) == "" and date_text(float("nan")) == ""


def test_codes_in_words():
    assert decode("cp_category", "NEG") == "Neglect"
    assert decode("cp_category", "n") == "Neglect"  # Annex A's one letter, any case
    assert decode("cp_category", "Emotional abuse") == "Emotional abuse"  # words stay words
    assert decode("ethnicity", "REFU") == "Refused"
    assert decode("referral_source", "6") == "Police"
    assert decode("need", "N1") == "Abuse, neglect or exploitation"
    assert decode("factor", "3A") == "Domestic abuse: child"
    assert decode("sex", "F") == "Female"
    assert decode("close_reason", " RC8 ") == "Closed after assessment, no further action"
    assert decode("need", "XYZ") == "XYZ"  # not a code: shown as it is
    assert decode("need", None) is None and decode("need", "  ") is None


def test_days_and_flags():
    assert days_text(1) == "1 working day"
    assert days_text(0) == "0 working days"
    assert days_text(1234) == "1,234 working days"
    assert days_text(None) == ""
    assert yes_no(True) == "yes" and yes_no(False, no="not alone") == "not alone"
    assert yes_no(None, unknown="not recorded") == "not recorded"


def test_column_labels_have_no_snake_case():
    assert label("person_id") == "Child"
    assert label("referral_date") == "Referral date"
    assert label("median_lag_wd") == "Median lag (working days)"
    assert label("within_target_pct") == "Within target (%)"
    assert label("review due") == "Review due"


def test_several_codes_and_numbers_in_words():
    from metrics.words import code_help, decode_all, month_text, number_text, share_text

    assert decode_all("factor", "3A, 4B") == "Domestic abuse: child; Mental health: parent or carer"
    assert decode_all("factor", "21") == "No factors identified"
    assert decode_all("factor", None) is None
    assert share_text(86.0681) == "86.1%" and share_text(None) == ""
    assert number_text(1234.0) == "1,234" and number_text(14.2857) == "14.3"
    assert number_text(float("nan")) == ""
    assert month_text(pd.Timestamp("2025-04-01")) == "Apr 2025"
    assert month_text(dt.date(2026, 2, 3)) == "Feb 2026"
    assert "referral source" in code_help("referral_source")
    from metrics.words import when_text

    assert when_text("2026-02-03T14:05:33+00:00") == "3 Feb 2026, 14:05"  # GMT in winter
    assert when_text("2026-07-01T08:30:00+00:00") == "1 Jul 2026, 09:30"  # BST in summer
    assert when_text(None) == "" and when_text("not a time") == "not a time"


def test_tables_show_codes_in_words_and_no_none():
    frame = pd.DataFrame(
        {
            "category": ["NEG", "Neglect", None],
            "sex": ["F", "M", "U"],
            "held": [dt.date(2026, 2, 3), None, dt.date(2025, 1, 9)],
            "started": [dt.date(2026, 2, 3)] * 3,
            "days": [1.0, None, 12.5],
            "flag": [True, None, False],
        }
    )
    shown = readable(frame)
    assert list(shown["category"]) == ["Neglect", "Neglect", ""]
    assert list(shown["sex"]) == ["Female", "Male", "Unknown"]
    assert list(shown["held"]) == ["3 Feb 2026", "", "9 Jan 2025"]  # gaps: text, no "None"
    assert list(shown["started"]) == [dt.date(2026, 2, 3)] * 3  # no gaps: still dates
    assert list(shown["days"]) == ["1", "", "12.5"]
    assert list(shown["flag"]) == ["yes", "", "no"]
