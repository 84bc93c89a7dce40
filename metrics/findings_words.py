"""A finding's figures said as one plain sentence in the inspection letter's register: the
heading's words, the figure, what it is set against, the trend and the children affected now.

Only the figures given are said: a comparison with no figure behind it is left out, never
guessed. Numbers as the tiles show them (one decimal, ".0" dropped; counts with commas).
"""

from __future__ import annotations

from metrics.findings_rules import DEVELOPMENT, SATISFACTORY, STRENGTH, Rule
from metrics.settings import Settings

NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def number(value: float) -> str:
    """1 decimal, '.0' dropped, thousands with commas."""
    text = f"{value:,.1f}"
    return text.removesuffix(".0")


def said(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "%":
        return f"{number(value)}%"
    if unit == "working days":
        text = number(value)
        return f"{text} working day" + ("" if text == "1" else "s")
    return number(value)


def count_words(n: int, one: str, many: str) -> str:
    """'two workers': small numbers in words, as a letter writes them."""
    word = NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"
    return f"{word} {one if n == 1 else many}"


def _days(n: int | None) -> str:
    return "working day" if n == 1 else "working days"


def _fill(template: str, **values: object) -> str:
    return template.format(**values)


def _goal_words(goal: float, unit: str, higher: bool) -> str:
    if goal == 0 and not higher:
        return "a goal of none"
    return f"a goal of {'at least' if higher else 'no more than'} {said(goal, unit)}"


def sentence(rule: Rule, heading: str, figures: dict, settings: Settings) -> str:
    """One finding in words (docs/findings.md, "How a finding is said")."""
    unit = figures["unit"]
    value = figures["value"]
    # Under areas for development a share that should be high is said as its shortfall
    # ("21% were not seen"), and everything it is set against turns with it.
    miss = heading == DEVELOPMENT and rule.says_miss is not None and unit == "%"
    higher = rule.higher_is_better and not miss

    def turn(x: float | None) -> float | None:
        return None if x is None else (100 - x if miss else x)

    target = figures.get("target")
    lead = {
        STRENGTH: rule.strength,
        SATISFACTORY: rule.satisfactory,
        DEVELOPMENT: rule.development,
    }[heading]
    template = rule.says_miss if miss else rule.says
    if value == 0 and rule.says_none and figures.get("denominator"):
        template = rule.says_none
    figure = _fill(
        template,
        value=said(value, unit),
        miss=said(100 - value, unit),
        target=target,
        days=_days(target),
        num=f"{figures['numerator']:,}" if figures.get("numerator") is not None else "",
        den=f"{figures['denominator']:,}" if figures.get("denominator") is not None else "",
    )
    against = []
    if figures.get("england") is not None:
        against.append(f"{said(turn(figures['england']), unit)} in England")
    if figures.get("neighbours") is not None:
        against.append(f"{said(turn(figures['neighbours']), unit)} among statistical neighbours")
    if figures.get("goal") is not None:
        against.append(_goal_words(turn(figures["goal"]), unit, higher))
    parts = [figure + (", against " + _and(against) if against else "")]
    trend = figures.get("trend")
    if figures.get("year_earlier") is not None:
        before = said(turn(figures["year_earlier"]), unit)
        parts.append(
            {
                "improving": f"performance is improving ({before} a year earlier)",
                "worsening": f"performance has worsened ({before} a year earlier)",
                "steady": f"much as a year earlier ({before})",
            }[trend]
        )
    affected = _affected_words(rule, figures.get("affected"), settings)
    if affected:
        parts.append(affected)
    return f"{lead}: " + "; ".join(parts) + "."


def _affected_words(rule: Rule, n: int | None, settings: Settings, its: str = "its") -> str:
    a = rule.affected
    if a is None or n is None:
        return ""
    key = a.target or rule.target
    target = settings.targets.get(key) if key else None
    template = a.none if n == 0 else a.one if n == 1 else a.many
    if not template:
        return ""
    return _fill(template, n=f"{n:,}", target=target, days=_days(target), its=its)


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def group_sentence(rule: Rule, figures: dict, settings: Settings) -> str:
    """An outlier among teams, workers or agencies in words."""
    unit = figures["unit"]
    groups = figures["groups"]
    one, many = rule.group_words
    if rule.name_groups:
        named = _and([g["name"] for g in groups])
    else:
        named = count_words(len(groups), one, many)
    # Each named group's figure with its name ("12.5% on Saturday and 25.9% on Sunday");
    # counted groups (workers) by their figures alone.
    if rule.name_groups:
        values = _and(
            [rule.each.format(value=said(g["value"], unit), name=g["name"]) for g in groups]
        )
    else:
        values = _and([said(g["value"], unit) for g in groups])
    target = figures.get("target")
    lead = _fill(
        rule.development,
        groups_named=named,
        do_not="does not" if len(groups) == 1 else "do not",
    )
    lead = lead[:1].upper() + lead[1:]
    figure = _fill(
        rule.says,
        groups=values,
        others=said(figures["others"], unit),
        target=target,
        days=_days(target),
    )
    parts = [figure]
    affected = _affected_words(
        rule, figures.get("affected"), settings, its="its" if len(groups) == 1 else "their"
    )
    if affected:
        parts.append(affected)
    return f"{lead}: " + "; ".join(parts) + "."


RAG_WORDS = {"green": "green: met", "amber": "amber: nearly met", "red": "red: not met"}


def facts(figures: dict, rule: Rule | None = None) -> list[tuple[str, str]]:
    """The figures a finding rests on, as (label, words) pairs for a page or a printout."""
    unit = figures["unit"]
    out: list[tuple[str, str]] = []
    if "groups" in figures:
        one, many = rule.group_words if rule else ("group", "groups")
        size_one, size_many = rule.size_words if rule else ("", "")

        def size(n: int) -> str:
            words = size_one if n == 1 else size_many
            return f"{n:,} {words}".rstrip()

        groups = figures["groups"]
        if all(g["name"] for g in groups):
            out.append(
                (
                    "Standing out",
                    "; ".join(
                        f"{g['name']}: {said(g['value'], unit)} ({size(g['size'])})" for g in groups
                    ),
                )
            )
        else:  # counted, not named
            out.append(
                (
                    "Standing out",
                    f"{count_words(len(groups), one, many)}: "
                    + ", ".join(f"{said(g['value'], unit)} ({size(g['size'])})" for g in groups),
                )
            )
        if figures.get("others") is not None:
            out.append((f"Other {many} (median)", said(figures["others"], unit)))
        out.append((f"{many[:1].upper()}{many[1:]} compared", f"{figures['groups_compared']:,}"))
    else:
        value = said(figures["value"], unit)
        if figures.get("denominator") is not None and figures.get("numerator") is not None:
            value += f" ({figures['numerator']:,} of {figures['denominator']:,})"
        out.append(("This period", value))
    if figures.get("goal") is not None:
        goal = said(figures["goal"], unit)
        rag = figures.get("against_goal")
        out.append(("Goal", f"{goal} ({RAG_WORDS[rag]})" if rag else goal))
    if figures.get("england") is not None:
        out.append(
            (
                "England",
                f"{said(figures['england'], unit)} ({figures['england_year']}; "
                f"{figures['against_england']})",
            )
        )
    if figures.get("neighbours") is not None:
        out.append(
            (
                "Statistical neighbours",
                f"{said(figures['neighbours'], unit)} (mean of {figures['neighbours_count']}; "
                f"{figures['against_neighbours']})",
            )
        )
    if figures.get("year_earlier") is not None:
        out.append(
            ("A year earlier", f"{said(figures['year_earlier'], unit)} ({figures['trend']})")
        )
    elif figures.get("trend"):
        out.append(("A year earlier", figures["trend"]))
    if figures.get("affected") is not None:
        out.append(("Affected now", f"{figures['affected']:,}"))
    return out
