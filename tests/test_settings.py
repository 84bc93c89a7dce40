"""Targets and the regime come from a settings file; defaults are those of measures.md."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from frontdoor.cli import main
from metrics import Engine, Filters, get, load_settings
from metrics.settings import DEFAULT_TARGETS
from tests.conftest import REPO

D = dt.date


def test_defaults_are_the_measures_document_targets():
    settings = load_settings(None)
    assert settings.regime == "2023"
    assert settings.target("contact_decision_wd") == 1
    assert settings.target("assessment_wd") == 45
    assert settings.target("icpc_wd") == 15
    assert settings.target("first_cp_review_months") == 3
    assert settings.target("later_cp_review_months") == 6
    assert settings.target("oversight_wd") == 20
    assert settings.target("transfer_wd") == 10


def test_the_example_file_matches_the_defaults():
    settings = load_settings(REPO / "settings.example.toml")
    assert settings.targets == DEFAULT_TARGETS
    assert settings.regime == "2023"


def test_population_is_a_setting_and_unset_by_default(make_db, tmp_path):
    assert load_settings(None).population is None
    assert load_settings(REPO / "settings.example.toml").population is None  # commented out
    path = tmp_path / "s.toml"
    path.write_text("population = 40000\n")
    settings = load_settings(path)
    assert settings.population == 40000
    con = _contacts(make_db)
    filters = Filters(D(2025, 3, 1), D(2025, 3, 31))
    # One contact per 40,000 children = 0.25 per 10,000; with no population, not available.
    assert Engine(con, settings).headline(get("contacts"), filters)["per_10k"] == 0.25
    engine = Engine(con)
    assert engine.headline(get("contacts"), filters)["per_10k"] is None
    assert engine.unavailable_aggregates(get("contacts")) == {
        "per_10k": "needs the population setting (children aged 0-17)"
    }


def test_a_file_overrides_some_targets_and_keeps_the_rest(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('regime = "2010"\n[targets]\nallocation_wd = 3\n')
    settings = load_settings(path)
    assert settings.regime == "2010"
    assert settings.target("allocation_wd") == 3
    assert settings.target("seen_wd") == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[targets]\nalocation_wd = 3\n", "unknown target 'alocation_wd'"),
        ("[targets]\nallocation_wd = -1\n", "must be a whole number"),
        ('regime = "2018"\n', "regime must be one of 2023, 2010"),
        ("population = 0\n", "population must be a whole number of children above 0"),
        ('population = "52,000"\n', "population must be a whole number"),
    ],
)
def test_mistakes_in_the_file_are_errors_naming_it(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as info:
        load_settings(path)
    assert str(path) in str(info.value)


def _contacts(make_db):
    return make_db(
        {
            "ssd_person": [{"pers_person_id": "P1"}],
            "ssd_cin_episodes": [],
            "ssd_contacts": [
                # Mon 3 Mar 2025 -> Wed 5 Mar 2025: 2 working days.
                {
                    "cont_contact_id": "C1",
                    "cont_person_id": "P1",
                    "cont_contact_date": D(2025, 3, 3),
                    "cont_outcome_date": D(2025, 3, 5),
                },
            ],
        }
    )


def test_a_target_from_the_file_changes_the_figure(make_db, tmp_path):
    con = _contacts(make_db)
    filters = Filters(D(2025, 3, 1), D(2025, 3, 31))
    # Default target 1 working day: 2 days is late -> 0%.
    assert Engine(con).headline(get("contacts"), filters)["decided_within_target_pct"] == 0.0
    path = tmp_path / "s.toml"
    path.write_text("[targets]\ncontact_decision_wd = 2\n")
    # Target 2 working days: in time -> 100%.
    engine = Engine(con, load_settings(path))
    assert engine.headline(get("contacts"), filters)["decided_within_target_pct"] == 100.0


def test_summary_reads_the_settings_file(make_db, tmp_path, capsys):
    con = _contacts(make_db)
    db = tmp_path / "t0.duckdb"
    con.close()
    path = tmp_path / "s.toml"
    path.write_text("[targets]\ncontact_decision_wd = 2\n")
    args = ["summary", "--db", str(db), "--from", "2025-03-01", "--to", "2025-03-31", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["contacts"]["decided_within_target_pct"] == 0.0
    assert main([*args, "--settings", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["contacts"]["decided_within_target_pct"] == 100.0


def test_the_example_file_writes_every_default_goal_as_it_is():
    import tomllib

    from metrics import MEASURES
    from metrics.goals import DEFAULT_AMBER, DEFAULT_GOALS, Goal, unit_of

    written = tomllib.loads((REPO / "settings.example.toml").read_text())["goals"]
    for (measure, aggregate), goal in DEFAULT_GOALS.items():
        if measure not in MEASURES:  # a goal for a measure not in this build
            continue
        given = written[measure][aggregate]
        if not isinstance(given, dict):
            given = {"goal": given, "amber": DEFAULT_AMBER.get(unit_of(aggregate), 0.0)}
        assert Goal(given["goal"], given["amber"]) == goal, (measure, aggregate)
