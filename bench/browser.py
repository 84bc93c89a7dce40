"""The dashboard in a real browser: `streamlit run` on a database, driven by Debian's Chromium
through Playwright (never `playwright install`: Playwright's own browsers are not used).

Shared by `frontdoor bench --browser` (page times as a person sees them) and the browser tests
(tests/test_browser.py). Playwright is imported only by the caller (it is in the `test` extra).
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
