"""Lists the filters offer (teams, workers) and the dates the data covers."""

from __future__ import annotations

import datetime as dt

import duckdb

from metrics.engine import Engine


def teams(engine: Engine) -> list[tuple[str, str]]:
    """(team id, display name) for every team that holds allocations or is in ssd_department."""
    sql = """
        WITH ids AS (
            SELECT invo_professional_team AS team FROM ssd_involvements
            UNION SELECT dept_team_id FROM ssd_department
            UNION SELECT cina_assessment_team FROM ssd_cin_assessments
        )
        SELECT ids.team, coalesce(d.dept_team_name, ids.team) AS name
        FROM ids LEFT JOIN ssd_department d ON d.dept_team_id = ids.team
        WHERE ids.team IS NOT NULL ORDER BY name, ids.team  -- the id: one order every run
    """
    return [tuple(r) for r in engine.query(sql, {}).itertuples(index=False, name=None)]


def workers(engine: Engine, team: str | None) -> list[tuple[str, str]]:
    """(worker id, display name) of workers with an involvement or assessment in `team`."""
    sql = """
        WITH ids AS (
            SELECT invo_professional_id AS worker, invo_professional_team AS team
            FROM ssd_involvements
            UNION SELECT cina_assessment_worker_id, cina_assessment_team FROM ssd_cin_assessments
        )
        SELECT DISTINCT ids.worker, coalesce(p.prof_professional_name, ids.worker) AS name
        FROM ids LEFT JOIN ssd_professionals p ON p.prof_professional_id = ids.worker
        WHERE ids.worker IS NOT NULL AND ($team IS NULL OR ids.team = $team)
        ORDER BY name, ids.worker  -- two workers of one name: the same order every run
    """
    return [tuple(r) for r in engine.query(sql, {"team": team}).itertuples(index=False, name=None)]


def data_end(engine: Engine) -> dt.date:
    """The date the extract was taken (load_meta), else the latest referral date."""
    cur = engine.con.cursor()
    try:
        try:
            row = cur.execute("SELECT value FROM load_meta WHERE key = 'extract_date'").fetchone()
            if row and row[0]:
                return dt.date.fromisoformat(row[0][:10])
        except duckdb.Error:
            pass
        row = cur.execute("SELECT max(cine_referral_date) FROM ssd_cin_episodes").fetchone()
        return row[0] if row and row[0] else dt.date.today()
    finally:
        cur.close()


def data_start(engine: Engine) -> dt.date | None:
    """The earliest referral or contact date (None when there are none): where the data's
    period begins, so a date from a link before it can be brought into range."""
    cur = engine.con.cursor()
    try:
        row = cur.execute(
            """
            SELECT least((SELECT min(cine_referral_date) FROM ssd_cin_episodes),
                         (SELECT min(cont_contact_date) FROM ssd_contacts))
            """
        ).fetchone()
        return row[0] if row and row[0] else None
    except duckdb.Error:
        return None
    finally:
        cur.close()


def load_meta(engine: Engine) -> dict[str, str]:
    """Facts about the load (source, when, synthetic or not); empty if the table is missing."""
    try:
        frame = engine.query("SELECT key, value FROM load_meta", {})
    except duckdb.Error:
        return {}
    return dict(frame.itertuples(index=False, name=None))
