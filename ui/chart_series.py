"""Series told apart by more than colour (WCAG 1.4.1), on the spec `ui/charts.show` draws:
hatching and a dark outline for bars, marker shapes and dashes for lines."""

from __future__ import annotations

# In legend order. The first series keeps a plain fill and a solid line.
PATTERNS = ["", "/", ".", "x", "-", "|", "+", "\\"]


SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon"]


DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


OUTLINE = "#0b0c0c"  # a dark edge: every bar meets 3:1 against white, whatever its fill


def distinguish(spec: dict) -> dict:
    """Make every series tell itself apart by more than colour: bars get a dark outline and,
    when there are several series, a hatching each; lines and points a marker shape each and,
    for lines, a dash each (where the code did not set them). On the figure's plain spec (as
    `show` draws it), changed in place."""
    traces = spec.get("data") or []
    bars = [t for t in traces if t.get("type") in ("bar", "histogram")]
    lines = [t for t in traces if t.get("type", "scatter") == "scatter"]
    for i, trace in enumerate(bars):
        marker = trace.setdefault("marker", {})
        marker.setdefault("line", {}).update(color=OUTLINE, width=1)
        if len(bars) > 1 and (marker.get("pattern") or {}).get("shape") is None:
            marker.setdefault("pattern", {})["shape"] = PATTERNS[i % len(PATTERNS)]
    if len(lines) > 1:
        for i, trace in enumerate(lines):
            if (trace.get("marker") or {}).get("symbol") is None:
                trace.setdefault("marker", {})["symbol"] = SYMBOLS[i % len(SYMBOLS)]
            if (
                "lines" in (trace.get("mode") or "")
                and (trace.get("line") or {}).get("dash") is None
            ):
                trace.setdefault("line", {})["dash"] = DASHES[i % len(DASHES)]
    return spec
