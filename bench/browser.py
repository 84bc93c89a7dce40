"""The dashboard in a real browser: `streamlit run` on a database, driven by Debian's Chromium
through Playwright (never `playwright install`: Playwright's own browsers are not used).

Shared by `frontdoor bench --browser` (page times as a person sees them), `make screenshots`
(bench/screenshots.py) and the browser tests (tests/test_browser.py); `demo_*` open any page as
any role in demo mode. Playwright is imported only by the caller (it is in the `test` extra).
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import duckdb

from ui.nav import CHILD_PAGE, MENU

REPO = Path(__file__).resolve().parents[1]  # the checkout: app.py, pages/
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The script has run to the end (before a session connects the state is "initial", not this).
DONE = (
    "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
    "[data-test-script-state='notRunning']"
)
# The page is drawn: the script has run to the end, no element is still a placeholder (charts
# and tables are loaded lazily: until their code has arrived they are skeletons, with no
# .js-plotly-plot yet) and every Plotly chart has drawn its SVG.
DRAWN_JS = """() => {
  if (!document.querySelector(DONE)) return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  const charts = document.querySelectorAll("[data-testid='stPlotlyChart']").length;
  const plots = document.querySelectorAll(".js-plotly-plot").length;
  const drawn = document.querySelectorAll(".js-plotly-plot .main-svg").length;
  return plots >= charts && drawn >= plots;
}""".replace("DONE", json.dumps(DONE))
# The roles a person can pick in demo mode (frontdoor.access.ROLES), for screenshots and axe.
DEMO_ROLES = ("senior_manager", "team_lead", "conference_chair", "analyst")
HEALTH_TIMEOUT = 60  # seconds for a new server to answer /_stcore/health


def missing() -> str | None:
    """What to install before a browser can be driven here, or None when all is in place."""
    needs = []
    if importlib.util.find_spec("playwright") is None:
        needs.append(
            "Playwright (the test extra: .venv/bin/pip install -e '.[test]'; "
            "do not run `playwright install`)"
        )
    if not CHROMIUM.exists():
        needs.append(f"Debian's Chromium at {CHROMIUM} (apt-get install -y chromium)")
    return " and ".join(needs) or None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_url(base: str, page_file: str) -> str:
    """The address of a page file: app.py is the root, pages/x.py is /x."""
    if page_file == "app.py":
        return base + "/"
    return f"{base}/{Path(page_file).stem}"


@contextmanager
def streamlit_server(
    db: Path, audit: Path, log: Path, port: int | None = None, script: str = "app.py"
) -> Iterator[str]:
    """`streamlit run <script>` on `db` (audit entries to `audit`, output to `log`) on `port` (a
    free one by default); yields the base URL once /_stcore/health answers "ok", and stops the
    server on the way out. RuntimeError if it exits or does not answer within HEALTH_TIMEOUT s.
    `script`: app.py (the app alone) or serve.py (as `make run`: the app and its warm-up)."""
    port = port or free_port()
    env = {**os.environ, "FRONTDOOR_DB": str(db), "FRONTDOOR_AUDIT": str(audit)}
    env.pop("FRONTDOOR_ALLOW_UNAUTHENTICATED", None)  # as deployed: demo mode on synthetic data
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.headless=true",
                "--server.address=127.0.0.1",
                f"--server.port={port}",
                "--server.fileWatcherType=none",
                "--browser.gatherUsageStats=false",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + HEALTH_TIMEOUT
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")
                try:
                    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                        if r.read().decode().strip() == "ok":
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"streamlit did not answer /_stcore/health within {HEALTH_TIMEOUT} s"
                    )
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_for_line(log: Path, text: str, timeout: float) -> float:
    """Seconds until `text` appears in the server's `log`; TimeoutError after `timeout` s."""
    started = time.monotonic()
    while True:
        if log.exists() and text in log.read_text(errors="replace"):
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise TimeoutError(f"{text!r} not in {log.name} within {timeout:.0f} s")
        time.sleep(0.1)


def launch(playwright):
    """Debian's Chromium, headless, through a started `sync_playwright()`."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def wait_drawn(tab, timeout_ms: float) -> None:
    """Wait until the page has run and drawn (see DRAWN_JS)."""
    tab.wait_for_function(DRAWN_JS, timeout=timeout_ms)


def demo_pages() -> list[tuple[str, str]]:
    """(page file, label) of every page in the menu that is in this build, then the Child page."""
    found = [(path, label) for _, group in MENU for path, label in group if (REPO / path).exists()]
    return [*found, (CHILD_PAGE, "Child")]


def demo_child(db: Path) -> tuple[str, str]:
    """A child every role may open: on an open CP plan (a chair's scope) with an open allocation
    in a team (the demo team lead is given that team), preferably with a sibling; and the
    team."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute(
            """
            SELECT p.cppl_person_id, i.invo_professional_team
            FROM ssd_cp_plans p
            JOIN ssd_involvements i ON i.invo_person_id = p.cppl_person_id
            LEFT JOIN ssd_family f ON f.fami_person_id = p.cppl_person_id
            WHERE p.cppl_cp_plan_end_date IS NULL AND i.invo_involvement_end_date IS NULL
              AND lower(trim(i.invo_professional_role_id)) = 'allocated case worker'
              AND i.invo_professional_team IS NOT NULL
            ORDER BY (SELECT count(*) FROM ssd_family g
                      WHERE g.fami_family_id = f.fami_family_id) > 1 DESC,
                     p.cppl_person_id
            LIMIT 1
            """
        ).fetchone()
    finally:
        con.close()
    if row is None:
        raise ValueError(f"{db} has no child on an open CP plan with an allocated team")
    return str(row[0]), str(row[1])


def demo_address(base: str, page: str, role: str, *, team: str = "", person: str = "") -> str:
    """A page's address opened as `role` in demo mode (synthetic data): a team lead leads
    `team`; the Child page shows `person`."""
    params = {"demo_role": role}
    if role == "team_lead" and team:
        params["demo_teams"] = team
    if page == CHILD_PAGE:
        params["person"] = person
    return f"{page_url(base, page)}?{urlencode(params)}"
