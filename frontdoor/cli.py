"""The `frontdoor` command: generate, load, check, summary, findings, export, bench.

Each subcommand is a thin wrapper: the work lives in the module it imports, so the app, the
tests and the command line share one implementation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from frontdoor.private import private_umask
from frontdoor.progress import bar


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _cmd_generate(args: argparse.Namespace) -> int:
    from frontdoor.generate import CHUNK_CHILDREN, generate_extract

    generate_extract(
        Path(args.out),
        seed=args.seed,
        children=args.children,
        start=args.start,
        end=args.end,
        fmt=args.format,
        progress=bar(),
        weaknesses=not args.clean,
        chunk_children=args.chunk_children or CHUNK_CHILDREN,
    )
    print(f"Synthetic extract written to {args.out}")
    return 0


def _cmd_load(args: argparse.Namespace) -> int:
    from frontdoor.loader import load_extract

    report = load_extract(
        Path(args.extract),
        Path(args.db),
        synthetic=args.synthetic,
        extract_date=args.extract_date,
        progress=bar(),
    )
    print(report.render())
    _audit("load", f"{args.extract} -> {args.db} (command line)", report.ok)
    return 0 if report.ok else 1


def _audit(action: str, detail: str, ok: bool) -> None:
    """Record a load or an export in the audit log ($FRONTDOOR_AUDIT), as the Data page does,
    under the operating-system account that ran it."""
    import getpass

    from frontdoor import audit

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    try:
        audit.record(user, "operator", action, detail=detail, outcome="allowed" if ok else "failed")
    except OSError as exc:
        print(f"frontdoor {action}: could not write the audit log: {exc}", file=sys.stderr)


def _cmd_export_cin_census(args: argparse.Namespace) -> int:
    from frontdoor.returns import ExportError
    from frontdoor.returns.cin_census import export_cin_census

    what = f"CIN census {args.year} from {args.db} -> {args.out} (command line)"
    try:
        result = export_cin_census(
            Path(args.db),
            args.year,
            Path(args.out),
            force=args.force,
            la=args.la,
            progress=bar(),
        )
    except ExportError as exc:
        print(f"frontdoor export cin-census: {exc}", file=sys.stderr)
        _audit("export", f"{what}: {exc}", False)
        return 1
    print(result.render())
    _audit("export", f"{what}: {_counted(result)}", True)
    return 0


def _cmd_export_annex_a(args: argparse.Namespace) -> int:
    from frontdoor.returns import ExportError
    from frontdoor.returns.annex_a import export_annex_a

    end = args.end or args.as_of
    what = (
        f"Annex A lists to {end}, data as at {args.as_of}, from {args.db} -> {args.out} "
        "(command line)"
    )
    try:
        result = export_annex_a(
            Path(args.db),
            args.as_of,
            Path(args.out),
            end=args.end,
            layout=args.layout,
            force=args.force,
            progress=bar(),
        )
    except ExportError as exc:
        print(f"frontdoor export annex-a: {exc}", file=sys.stderr)
        _audit("export", f"{what}: {exc}", False)
        return 1
    print(result.render())
    _audit("export", f"{what}: {_counted(result)}", True)
    return 0


def _counted(result) -> str:
    """What an export holds, for the audit log (counts only: no child's id or details)."""
    counts = ", ".join(f"{n:,} {name}" for name, n in result.counts.items())
    return f"{counts}; {len(result.gaps):,} gap(s)"


def _cmd_check(args: argparse.Namespace) -> int:
    """Whether this version of frontdoor can read a database as it is (exit 0), or why not
    (exit 1): `make run` asks it before serving the sample, and builds the sample again if not."""
    import duckdb

    from frontdoor.facts import stale_reason

    path = Path(args.db)
    if not path.is_file():
        print(f"{path}: no database here: load an extract with `frontdoor load`")
        return 1
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        print(f"{path}: cannot be opened as a database ({exc}): load the extract again")
        return 1
    try:
        reason = stale_reason(con)
    finally:
        con.close()
    if reason:
        print(f"{path}: {reason}")
        return 1
    print(f"{path}: ready (loaded by this version of frontdoor)")
    return 0


def _cmd_summary(args: argparse.Namespace) -> int:
    from metrics.summary import run_summary_command

    return run_summary_command(args)


def _cmd_findings(args: argparse.Namespace) -> int:
    from metrics.findings_report import run_findings_command

    return run_findings_command(args)


def _cmd_bench(args: argparse.Namespace) -> int:
    # The bench is tooling apart from the product (the top-level `bench` package of a checkout):
    # imported only here, so nothing the app runs depends on it.
    try:
        from bench.run import run_bench
    except ModuleNotFoundError as exc:
        if exc.name != "bench":
            raise
        print(
            "frontdoor bench: the bench is not installed here. It lives in the bench/ folder of a "
            "checkout of the repository: run `make setup` there and try again.",
            file=sys.stderr,
        )
        return 2
    return run_bench(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="frontdoor", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write a synthetic authority's extract")
    gen.add_argument("--out", required=True, help="folder to write the extract into")
    gen.add_argument("--seed", type=int, default=2010)
    gen.add_argument("--children", type=int, default=5000)
    gen.add_argument("--start", type=_date, default=dt.date(2023, 4, 1))
    gen.add_argument("--end", type=_date, default=dt.date(2026, 3, 31))
    gen.add_argument("--format", choices=["csv", "parquet"], default="csv")
    gen.add_argument(
        "--clean",
        action="store_true",
        help="a well-run authority: without the built-in weaknesses (Team C short of staff, "
        "children not seen, unqualified assessors, ...), every timescale mostly met",
    )
    gen.add_argument(
        "--chunk-children",
        type=_positive,
        default=None,
        metavar="N",
        help="build at most N children at a time (default 1,000,000), each part appended to the "
        "files: memory is set by N, not by --children; an extract of one part is as before",
    )
    gen.set_defaults(func=_cmd_generate)

    load = sub.add_parser("load", help="load an extract into a DuckDB database file")
    load.add_argument("--extract", required=True, help="folder, .xlsx, CIN census .xml or Annex A")
    load.add_argument("--db", required=True, help="database file to create or replace")
    load.add_argument("--synthetic", action="store_true", help="mark the data as synthetic")
    load.add_argument(
        "--extract-date",
        type=_date,
        default=None,
        help="date the extract was taken (default: today); later dates are reported",
    )
    load.set_defaults(func=_cmd_load)

    check = sub.add_parser(
        "check", help="say whether this version of frontdoor can read a database as it is"
    )
    check.add_argument("--db", required=True)
    check.set_defaults(func=_cmd_check)

    summ = sub.add_parser("summary", help="print every headline measure for a period")
    summ.add_argument("--db", required=True)
    summ.add_argument("--from", dest="date_from", required=True, type=_date)
    summ.add_argument("--to", dest="date_to", required=True, type=_date)
    summ.add_argument("--as-of", dest="as_of", type=_date, default=None)
    summ.add_argument("--team", default=None)
    summ.add_argument("--worker", default=None)
    summ.add_argument("--settings", default=None, help="settings TOML (targets, regime)")
    summ.add_argument("--json", action="store_true")
    summ.set_defaults(func=_cmd_summary)

    fnd = sub.add_parser(
        "findings",
        help="the inspection letter's findings for a period: strengths, satisfactory practice, "
        "areas for development",
    )
    fnd.add_argument("--db", required=True)
    fnd.add_argument("--from", dest="date_from", required=True, type=_date)
    fnd.add_argument("--to", dest="date_to", required=True, type=_date)
    fnd.add_argument("--as-of", dest="as_of", type=_date, default=None)
    fnd.add_argument("--team", default=None, help="one team's findings (a team id)")
    fnd.add_argument("--settings", default=None, help="settings TOML (targets, goals, comparators)")
    fnd.add_argument(
        "--json", action="store_true", help="each finding with its heading, figures and sentence"
    )
    fnd.set_defaults(func=_cmd_findings)

    export = sub.add_parser("export", help="write a return (Annex A, CIN census) from a database")
    returns = export.add_subparsers(dest="return_kind", required=True)
    cin = returns.add_parser(
        "cin-census", help="the DfE CIN census XML for the collection year ending 31 March YEAR"
    )
    cin.add_argument("--db", required=True, help="a database made by frontdoor load")
    cin.add_argument(
        "--year", required=True, type=int, help="collection year, by its 31 March (2026 = 2025-26)"
    )
    cin.add_argument("--out", required=True, help="the .xml file to write")
    cin.add_argument("--la", default=None, help="the LA's three-digit number, for the header")
    cin.add_argument("--force", action="store_true", help="replace --out if it exists")
    cin.set_defaults(func=_cmd_export_cin_census)
    annex = returns.add_parser(
        "annex-a", help="Ofsted's Annex A workbook (lists 1 to 7) as at a date"
    )
    annex.add_argument("--db", required=True, help="a database made by frontdoor load")
    annex.add_argument(
        "--as-of", dest="as_of", required=True, type=_date, help="data as known on this date"
    )
    annex.add_argument("--out", required=True, help="the .xlsx file to write")
    annex.add_argument(
        "--end",
        type=_date,
        default=None,
        help="the lists' end date (default: --as-of); each window is the six months to it",
    )
    annex.add_argument(
        "--layout",
        choices=["ofsted-2019", "later"],
        default="ofsted-2019",
        help="ofsted-2019: Ofsted's template (List_1, title rows); later: List 1, headings in row 1",
    )
    annex.add_argument("--force", action="store_true", help="replace --out if it exists")
    annex.set_defaults(func=_cmd_export_annex_a)

    bench = sub.add_parser("bench", help="time generate, load, summary and pages")
    bench.add_argument(
        "--children",
        type=int,
        nargs="*",
        default=[50_000, 200_000],
        help="sizes of synthetic authority to make and time (default 50000 200000); given "
        "with no size, only the built-in sample's pages are timed",
    )
    bench.add_argument("--years", type=int, default=5)
    bench.add_argument("--workdir", default="bench-data")
    bench.add_argument("--out", default=None, help="append results as Markdown to this file")
    bench.add_argument(
        "--no-pages",
        dest="pages",
        action="store_false",
        help="do not time the app's pages (AppTest) on each database",
    )
    bench.add_argument(
        "--no-sample",
        dest="sample",
        action="store_false",
        help="do not make the built-in sample (5,000 children) to time the pages on it",
    )
    bench.add_argument(
        "--browser",
        action="store_true",
        help="also time every page in a browser (needs Playwright, from the test extra, and "
        "Chromium at /usr/bin/chromium)",
    )
    bench.add_argument(
        "--concurrent",
        type=int,
        default=0,
        metavar="N",
        help="also drive N sessions at once against one server (serve.py, as make run) on the "
        "sample and each size: page times p50/p95 and errors, and the first visitor's wait",
    )
    bench.add_argument(
        "--think",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="with --concurrent: the mean pause of each person between pages (0: none)",
    )
    bench.add_argument(
        "--reuse",
        action="store_true",
        help="use an extract and database already in --workdir as they are (no generate, "
        "no load; made by an earlier run with the same --years)",
    )
    bench.set_defaults(func=_cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    private_umask()  # extracts, databases, reports and the audit log: 0600 files, 0700 folders
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
