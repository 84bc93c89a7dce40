"""The layers import in one direction (docs/architecture.md): tooling apart from the product.

Read from the source (every import statement, those inside functions included), so a lazy import
cannot hide: the app (`app.py`, `pages/`, `ui/`) and the runtime packages (`frontdoor`,
`metrics`) never import the bench; `frontdoor` and `metrics` never import the UI or Streamlit.
The one way in is `frontdoor bench`, which imports `bench.run` when that command runs.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PRODUCT = ["app.py", "serve.py", "pages", "ui", "frontdoor", "metrics"]
# (file, module) pairs allowed although the rules below forbid them.
ALLOWED = {("frontdoor/cli.py", "bench.run")}


def _files(where: str) -> list[Path]:
    path = REPO / where
    return [path] if path.is_file() else sorted(path.rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Every module an import statement in the file names (absolute imports only)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            # `from x import y` may import the module x.y: count it too.
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _offences(where: list[str], banned: tuple[str, ...]) -> list[str]:
    out = []
    for top in where:
        for path in _files(top):
            rel = path.relative_to(REPO).as_posix()
            for module in sorted(_imports(path)):
                hit = any(module == b or module.startswith(b + ".") for b in banned)
                if hit and (rel, module) not in ALLOWED and not _allowed_parent(rel, module):
                    out.append(f"{rel} imports {module}")
    return out


def _allowed_parent(rel: str, module: str) -> bool:
    """`from bench.run import run_bench` also records bench.run.run_bench: allowed with it."""
    return any(rel == f and module.startswith(m + ".") for f, m in ALLOWED)


def test_nothing_the_app_imports_imports_the_bench():
    assert _offences(PRODUCT, ("bench", "playwright")) == []


def test_the_runtime_packages_do_not_import_the_ui():
    assert _offences(["frontdoor", "metrics"], ("ui", "streamlit", "pages", "app")) == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from bench.browser import launch\n    import ui.nav\n")
    assert {"bench.browser", "bench.browser.launch", "ui.nav"} <= _imports(module)


def test_importing_the_app_modules_loads_no_tooling():
    """At run time too: the modules every page imports pull in neither the bench nor Playwright."""
    code = (
        "import sys, frontdoor.cli, frontdoor.loader, metrics, metrics.summary, ui.data, ui.page, "
        "ui.drill, ui.charts; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('bench', 'playwright')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
