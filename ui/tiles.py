"""Headline tiles: value, target, England, change on the previous period, and a status in words
and symbol (never colour alone)."""

from __future__ import annotations

import streamlit as st


def fmt(value: object, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "working days":
        return f"{value:.1f} wd" if value % 1 else f"{value:.0f} wd"
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else f"{value:.1f}"


def status(value: float | None, benchmark: float | None, higher_is_better: bool | None) -> str:
    """'▲ better than England' style status, in words."""
    if value is None or benchmark is None or higher_is_better is None:
        return ""
    if abs(value - benchmark) < 0.05:
        return "● in line with England"
    better = value > benchmark if higher_is_better else value < benchmark
    return "▲ better than England" if better else "▼ worse than England"


def tile(
    label: str,
    value: float | None,
    unit: str,
    *,
    previous: float | None = None,
    england: float | None = None,
    target_text: str | None = None,
    higher_is_better: bool | None = None,
    help_text: str | None = None,
) -> None:
    """One bordered tile; the delta arrow says the direction, the caption says what it means."""
    with st.container(border=True):
        delta = None
        if value is not None and previous is not None:
            change = value - previous
            if unit == "%":
                delta = f"{change:+.1f}pp"
            elif float(change).is_integer():
                delta = f"{change:+,.0f}"
            else:
                delta = f"{change:+.1f}"
        colour = (
            "off" if higher_is_better is None else ("normal" if higher_is_better else "inverse")
        )
        st.metric(label, fmt(value, unit), delta=delta, delta_color=colour, help=help_text)
        lines = []
        if previous is not None:
            lines.append(f"Previous period: {fmt(previous, unit)}")
        if target_text:
            lines.append(f"Target: {target_text}")
        if england is not None:
            lines.append(f"England: {fmt(england, unit)}")
        said = status(value, england, higher_is_better)
        if said:
            lines.append(said)
        if lines:
            st.caption(" · ".join(lines))
