"""`frontdoor bench`: the command (frontdoor.cli imports this module only when it runs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bench.common import scaled
from bench.concurrent import DEFAULT_THINK
from bench.machine import machine
from bench.report import render
from bench.sizes import SizeResult, run_size, sample_pages
from frontdoor.progress import bar


def run_bench(args: argparse.Namespace) -> int:
    """`frontdoor bench`: 0 when every pandas figure matches DuckDB's, 1 otherwise."""
    sizes = list(args.children or [])
    pages_asked = getattr(args, "pages", True) or getattr(args, "browser", False)
    pages_asked = pages_asked or bool(getattr(args, "concurrent", 0))
    if not sizes and not (pages_asked and getattr(args, "sample", True)):
        # `--children` with no size means the built-in sample only: its pages need timing.
        print(
            "frontdoor bench: nothing to time. Give a size with --children (e.g. --children "
            "200000), or leave out --no-sample to time the pages on the built-in sample."
        )
        return 2
    if args.years < 2:
        print("frontdoor bench: --years must be at least 2 (the re-referral look-back needs one)")
        return 2
    workdir = Path(args.workdir)
    pages = getattr(args, "pages", True)
    reuse = getattr(args, "reuse", False)
    browser = getattr(args, "browser", False)
    browser_skipped = None
    if browser:
        from bench.browser import missing

        needs = missing()
        if needs:
            browser, browser_skipped = False, f"needs {needs}"
            print(f"frontdoor bench --browser: no browser times, this needs {needs}.", flush=True)
    info = machine()
    show = bar()
    sample = None
    concurrent = getattr(args, "concurrent", 0) or 0
    timed_pages = pages or browser or concurrent
    steps = len(sizes) + (1 if timed_pages and getattr(args, "sample", True) else 0)
    if steps > len(sizes):
        sample = sample_pages(
            workdir,
            scaled(show, 0.0, 1 / steps, "sample"),
            pages=pages,
            browser=browser,
            reuse=reuse,
            concurrent=concurrent,
            think=getattr(args, "think", DEFAULT_THINK),
        )
    results: list[SizeResult] = []
    for n, children in enumerate(sizes):
        lo, hi = (n + steps - len(sizes)) / steps, (n + 1 + steps - len(sizes)) / steps
        result = run_size(
            children,
            args.years,
            workdir,
            scaled(show, lo, hi, f"{children:,}"),
            pages=pages,
            browser=browser,
            reuse=reuse,
            concurrent=concurrent,
            think=getattr(args, "think", DEFAULT_THINK),
        )
        results.append(result)
        for c in result.comparisons:
            print(
                f"\n{children:,} children, {c.name}: {'MATCH' if c.match else 'MISMATCH'}; "
                f"pandas {c.pandas_seconds:.3f}s vs DuckDB {c.duckdb_seconds:.3f}s "
                f"= {c.ratio:.1f}x",
                flush=True,
            )
    show(1.0, "done")
    text = render(results, info, args.years, sample, browser_skipped)
    print()
    print(text)
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)
        print(f"Appended to {out}")
    ok = all(c.match for r in results for c in r.comparisons)
    if not ok:
        print("MISMATCH: pandas and DuckDB disagree (see above)")
    return 0 if ok else 1
