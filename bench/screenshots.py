"""`make screenshots`: every page of the menu, and the Child page for one child, as each role
sees it in demo mode, at 1440x900, into a git-ignored folder for anyone to look at.

Each page is saved twice: `NN_page.png`, the 1440x900 window a person sees first, and
`NN_page_full.png`, the whole page (the window made as tall as the page: Streamlit scrolls
inside the app, so a browser's "full page" would be the window only).

Runs `streamlit run` on the database (the built-in sample by default) and Debian's Chromium
through Playwright, as the browser tests do (bench/browser.py). Tooling: the app never imports
it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from bench.browser import (
    DEMO_ROLES,
    demo_address,
    demo_child,
    demo_pages,
    launch,
    missing,
    streamlit_server,
    wait_drawn,
)
from frontdoor.private import private_umask

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO / "data" / "sample.duckdb"
DEFAULT_OUT = REPO / "screenshots"
WIDTH, HEIGHT = 1440, 900
TIMEOUT_MS = 180_000
# The main area's scrolling element: its scrollHeight is the page's length.
PAGE_HEIGHT_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']")
    || document.querySelector("[data-testid='stAppViewContainer']");
  const side = document.querySelector("[data-testid='stSidebarContent']");
  return Math.max(main ? main.scrollHeight : 0, side ? side.scrollHeight : 0,
                  document.documentElement.scrollHeight);
}"""
MAX_HEIGHT = 30_000  # px: Chromium refuses larger captures


def take(db: Path, out: Path, roles: tuple[str, ...] = DEMO_ROLES) -> list[Path]:
    """Screenshot every page for every role; returns the files written."""
    from playwright.sync_api import sync_playwright

    person, team = demo_child(db)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="frontdoor-shots-") as tmp:
        logs = Path(tmp)
        with streamlit_server(db, logs / "audit.jsonl", logs / "server.log") as base:
            with sync_playwright() as p:
                chromium = launch(p)
                try:
                    for role in roles:
                        folder = out / role
                        folder.mkdir(parents=True, exist_ok=True)
                        context = chromium.new_context(viewport={"width": WIDTH, "height": HEIGHT})
                        context.set_default_timeout(TIMEOUT_MS)
                        tab = context.new_page()
                        for n, (page, label) in enumerate(demo_pages(), start=1):
                            name = f"{n:02d}_{Path(page).stem}"
                            tab.set_viewport_size({"width": WIDTH, "height": HEIGHT})
                            tab.goto(demo_address(base, page, role, team=team, person=person))
                            wait_drawn(tab, TIMEOUT_MS)
                            tab.wait_for_timeout(500)  # let charts finish their transitions
                            first = folder / f"{name}.png"
                            tab.screenshot(path=str(first))
                            height = min(int(tab.evaluate(PAGE_HEIGHT_JS)), MAX_HEIGHT)
                            tab.set_viewport_size({"width": WIDTH, "height": max(height, HEIGHT)})
                            wait_drawn(tab, TIMEOUT_MS)
                            tab.wait_for_timeout(500)
                            full = folder / f"{name}_full.png"
                            tab.screenshot(path=str(full))
                            written += [first, full]
                            print(f"{role:>17}  {label:<28} {first.relative_to(out)}", flush=True)
                        context.close()
                finally:
                    chromium.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="a synthetic database")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the PNGs")
    parser.add_argument("--role", action="append", choices=DEMO_ROLES, help="only these roles")
    args = parser.parse_args(argv)
    needs = missing()
    if needs:
        print(f"make screenshots needs {needs}", file=sys.stderr)
        return 2
    if not args.db.exists():
        print(f"No database at {args.db}: run `make sample` first.", file=sys.stderr)
        return 2
    private_umask()  # screenshots show (synthetic) children's records: 0600 files, 0700 folders
    written = take(args.db, args.out, tuple(args.role or DEMO_ROLES))
    print(f"{len(written)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
