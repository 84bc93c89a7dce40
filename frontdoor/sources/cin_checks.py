"""Check a parsed CIN census file: by the specification's rules built into frontdoor, or by a DfE
XSD when the user names a folder of them.

Either way every finding is a warning located by line (and, inside a child, its LAchildID): the
reader still reads everything it can. Identical findings (same element, same message but for the
value) are reported one by one up to `MAX_SAME` per file, then summed up in one warning, so a
return that writes "true" for every flag does not bury the report.

The reader itself reports what it meets while reading (stray text, unknown elements inside a
child, impossible dates, an unknown sex code, a record without the date that identifies it), so
the rules here leave those out rather than say them twice.
"""

from __future__ import annotations

import bisect
import copy
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from frontdoor.sources import cin_spec as spec

MAX_SAME = 20
# Children per document validated at once against an XSD (see validation_chunks).
VALIDATION_CHUNK = 250

# Elements without which the reader rejects the record itself, saying so: not repeated here.
IDENTIFYING = {
    "LAchildID",
    "CINreferralDate",
    "AssessmentActualStartDate",
    "CINPlanStartDate",
    "S47ActualStartDate",
    "CPPstartDate",
}
# Values the reader checks as it reads them (dates, the child's sex).
READER_CHECKS = spec.DATE_ELEMENTS | {"Sex", "GenderCurrent"}
# Containers whose unexpected elements the reader reports as it reads them.
READER_CONTAINERS = {
    "Child",
    "ChildIdentifiers",
    "ChildCharacteristics",
    "Disabilities",
    "CINdetails",
    "Assessments",
    "FactorsIdentifiedAtAssessment",
    "CINPlanDates",
    "Section47",
    "ChildProtectionPlans",
    "Reviews",
    "PreProceedingsandFGDM",
    "Children",
}

_YEAR_IN_NAME = re.compile(r"(20\d\d)")
# The value in a finding, masked so that findings differing only by value are counted together.
_VALUE_IN_MESSAGE = re.compile(r"(The value |Element '[^']*': |<[^>]+> )'[^']*'")

# report(reason, *, line, column, value, record_id): one warning.
Report = Callable[..., None]


def local(tag: object) -> str:
    """The element's name without namespace ('' for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


class Tally:
    """Passes findings on one by one up to MAX_SAME of a kind, then sums up the rest."""

    def __init__(self, report: Report, max_same: int = MAX_SAME):
        self.report = report
        self.max_same = max_same
        self.counts: dict[tuple[str, str], int] = {}

    def add(self, element: str | None, reason: str, **kw) -> None:
        key = (element or "", _VALUE_IN_MESSAGE.sub(r"\1'…'", reason))
        self.counts[key] = self.counts.get(key, 0) + 1
        if self.counts[key] <= self.max_same:
            self.report(reason, column=element, **kw)

    def close(self, what: str) -> None:
        for (element, reason), n in self.counts.items():
            if n > self.max_same:
                said = reason.removeprefix(f"{what}: ")
                self.report(
                    f"{what}: {n - self.max_same} more errors like the {self.max_same} above "
                    f"({said})",
                    column=element or None,
                    line=None,
                    value=None,
                    record_id=None,
                )


def child_locator(root) -> Callable[[int | None], str | None]:
    """line -> the LAchildID of the child whose element starts at or before it."""
    starts: list[int] = []
    ids: list[str | None] = []
    for child in root.iter("Child"):
        ident = child.find("ChildIdentifiers/LAchildID")
        starts.append(child.sourceline or 0)
        ids.append(((ident.text or "").strip() or None) if ident is not None else None)

    def child_at(line: int | None) -> str | None:
        if not line:
            return None
        i = bisect.bisect_right(starts, line) - 1
        return ids[i] if i >= 0 else None

    return child_at


# -- the built-in rules ------------------------------------------------------------------------


def _codes(codes: dict[str, str]) -> str:
    listed = list(codes)
    if len(listed) <= 12:
        return ", ".join(listed)
    return f"{', '.join(listed[:8])} ... ({len(listed)} codes)"


def _value_problem(name: str, text: str) -> str | None:
    """Why `text` is not a value the specification allows for `name` (None when it is)."""
    kind = spec.VALUES.get(name)
    if kind is None or name in READER_CHECKS or kind == spec.TEXT:
        return None
    if isinstance(kind, dict):
        if text in kind:
            return None
        if kind is spec.YES_NO:
            return f"<{name}> {text!r} is not 0 or 1 (the specification's false and true)"
        return f"<{name}> {text!r} is not a CIN census code (expected {_codes(kind)})"
    ok = {
        spec.YEAR: lambda t: re.fullmatch(r"\d{4}", t) is not None,
        spec.COUNT: lambda t: re.fullmatch(r"\d+", t) is not None,
        spec.LEA: lambda t: re.fullmatch(r"\d{3}", t) is not None,
        spec.SERIAL: lambda t: re.fullmatch(r"\d{3,}", t) is not None,
        spec.DATETIME: _is_datetime,
    }[kind](text)
    if ok:
        return None
    expected = {
        spec.YEAR: "a year such as 2025",
        spec.COUNT: "a whole number, 0 or more",
        spec.LEA: "a three-digit local authority number",
        spec.SERIAL: "three or more digits",
        spec.DATETIME: "a date and time such as 2025-05-01T09:30:00",
    }[kind]
    return f"<{name}> {text!r} is not {expected}"


def _is_datetime(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return "T" in text or " " in text


def check_with_rules(root, report: Report) -> None:
    """Check the document against the specification's structure and code lists."""
    tally = Tally(report)
    child_at = child_locator(root)
    for el in root.iter():
        name = local(el.tag)
        if not name:
            continue
        line = el.sourceline
        where = {"line": line, "record_id": child_at(line)}
        if name in spec.STRUCTURE:
            _check_container(el, name, tally, where)
        elif name in spec.VALUES and not len(el):
            text = (el.text or "").strip()
            if not text:
                if name not in READER_CHECKS:
                    tally.add(name, f"<{name}> is empty; read as missing", value=None, **where)
                continue
            problem = _value_problem(name, text)
            if problem:
                tally.add(name, problem, value=text[:200], **where)
    tally.close("does not follow the CIN census specification")


def _check_container(el, name: str, tally: Tally, where: dict) -> None:
    """Required elements missing (found at the container), too many of one (at the first one
    too many) and, where the reader does not look, unexpected ones (at themselves)."""
    seen: dict[str, list] = {}
    for sub in el:
        sub_name = local(sub.tag)
        if sub_name:
            seen.setdefault(sub_name, []).append(sub)
    at = where["record_id"]
    for member, (least, most) in spec.STRUCTURE[name].items():
        names = member.split("|")
        found = [e for m in names for e in seen.get(m, [])]
        shown = " or ".join(f"<{m}>" for m in names)
        if len(found) < least and not (set(names) & IDENTIFYING):
            tally.add(
                names[0],
                f"<{name}> has no {shown}, which the CIN census specification requires",
                value=None,
                **where,
            )
        elif most is not None and len(found) > most:
            extra = sorted(found, key=lambda e: e.sourceline or 0)[most]
            tally.add(
                local(extra.tag),
                f"<{name}> holds {len(found)} {shown} elements; the specification allows {most} "
                "(the first is read)",
                value=None,
                line=extra.sourceline,
                record_id=at,
            )
    if name not in READER_CONTAINERS:
        allowed = spec.members(name)
        for sub_name, subs in seen.items():
            if sub_name not in allowed:
                tally.add(
                    sub_name,
                    f"unexpected element <{sub_name}> in <{name}>; ignored",
                    value=None,
                    line=subs[0].sourceline,
                    record_id=at,
                )


# -- a DfE XSD named by the user ---------------------------------------------------------------


@dataclass(frozen=True)
class Xsd:
    path: Path
    year: int
    uses_sex: bool  # 2024-25 onwards: Sex (M/F/U) instead of GenderCurrent (1/2/0/9)
    has_pre_proceedings: bool


def find_xsds(folder: Path | None) -> list[Xsd]:
    """The CIN census XSDs in a folder (`CIN_schema_<year>.xsd` or any name with a year)."""
    if folder is None or not folder.is_dir():
        return []
    found = []
    for p in sorted(folder.glob("*.xsd")):
        m = _YEAR_IN_NAME.search(p.name)
        if not m:
            continue
        try:
            text = p.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if 'name="CINdetails"' not in text:
            continue
        found.append(
            Xsd(
                path=p,
                year=int(m.group(1)),
                uses_sex='name="Sex"' in text,
                has_pre_proceedings='name="PreProceedingsandFGDM"' in text,
            )
        )
    return sorted(found, key=lambda x: x.year)


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=16)
def _schema(path: Path, mtime: float) -> etree.XMLSchema:
    # The XSD is the user's file: never let it fetch anything or expand entities.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def choose_xsd(
    xsds: list[Xsd], year: int | None, uses_sex: bool | None, pre_proceedings: bool = False
) -> tuple[Xsd | None, str | None]:
    """The XSD for a file's collection year, corrected by what the file's content implies.

    `<Sex>` first appears in the 2024-25 return (CIN_schema_2025) and the pre-proceedings module
    in 2025-26 (2026); `<GenderCurrent>` is last in 2023-24 (2024). When the header's year
    contradicts the content, the content decides the schema and a note says so.
    """
    if not xsds:
        return None, None

    def nearest(candidates: list[Xsd], target: int) -> Xsd:
        return min(candidates, key=lambda x: (abs(x.year - target), -x.year))

    header = nearest(xsds, year) if year is not None else xsds[-1]
    candidates = xsds
    if uses_sex is not None:
        candidates = [x for x in candidates if x.uses_sex == uses_sex] or candidates
    target = header.year
    if pre_proceedings:
        with_pp = [x for x in candidates if x.has_pre_proceedings]
        later = [x for x in candidates if x.year >= 2026]
        candidates = with_pp or later or candidates
        target = max(target, 2026)
    chosen = nearest(candidates, target)
    if chosen == header or year is None:
        return chosen, None
    why = []
    if uses_sex is not None and chosen.uses_sex != header.uses_sex:
        why.append("<Sex>" if uses_sex else "<GenderCurrent>")
    if pre_proceedings and chosen.year != header.year:
        why.append("<PreProceedingsandFGDM>")
    note = (
        f"the header says collection year {year}, but the file uses {' and '.join(why)}, so it "
        f"was validated against {chosen.path.name} instead of {header.path.name}"
    )
    return chosen, note


def check_with_xsds(
    root, xsds: list[Xsd], year: int | None, report: Report, pre_proceedings_table: str
) -> None:
    """Validate the document against the XSD of its year (see choose_xsd)."""
    has_sex = root.find(".//Sex") is not None
    has_gender = root.find(".//GenderCurrent") is not None
    uses_sex = True if has_sex and not has_gender else False if has_gender else None
    has_pp = root.find(".//PreProceedingsandFGDM") is not None
    xsd, note = choose_xsd(xsds, year, uses_sex, has_pp)
    if xsd is None:
        return
    if note:
        report(note, line=root.sourceline, column=None, value=None, record_id=None)
    try:
        schema = _schema(xsd.path, _mtime(xsd.path))
    except (etree.LxmlError, OSError) as exc:
        report(
            f"the XSD {xsd.path.name} could not be read ({exc}); the file was not validated",
            line=root.sourceline,
            column=None,
            value=None,
            record_id=None,
        )
        return
    strip_pp = not xsd.has_pre_proceedings and has_pp
    if strip_pp:
        # Read and kept, but no XSD we have describes the module: validate the rest.
        first = root.find(".//PreProceedingsandFGDM")
        report(
            f"<PreProceedingsandFGDM> is not in {xsd.path.name}; the module was read into "
            f"{pre_proceedings_table} without schema validation",
            line=first.sourceline,
            column="PreProceedingsandFGDM",
            value=None,
            record_id=None,
        )
    child_at = child_locator(root)
    tally = Tally(report)
    for doc in validation_chunks(root, strip_pp):
        if schema.validate(doc):
            continue
        for err in schema.error_log:
            message = err.message
            if "Character content other than whitespace" in message:
                continue  # reported more precisely, with the text, by the reader
            tally.add(
                _error_element(message),
                f"does not match {xsd.path.name}: {message}",
                line=err.line,
                value=_error_value(message),
                record_id=child_at(err.line),
            )
    tally.close(f"does not match {xsd.path.name}")


def validation_chunks(root, strip_pre_proceedings: bool) -> Iterator:
    """The document cut into small documents of VALIDATION_CHUNK children each.

    libxml2 names each failing element by its path (`Child[33000]`), counting siblings, so the
    errors of one large document cost time quadratic in its children; small documents keep it
    linear. Copies keep their source lines, so errors still point into the file. The first chunk
    also carries everything outside <Children> (the header)."""
    containers = [c for c in root if local(c.tag) == "Children"]
    if len(containers) != 1:
        doc = copy.deepcopy(root.getroottree())
        if strip_pre_proceedings:
            for el in list(doc.getroot().iter("PreProceedingsandFGDM")):
                el.getparent().remove(el)
        yield doc
        return
    children = list(containers[0])
    first = True
    for start in range(0, max(len(children), 1), VALIDATION_CHUNK):
        message = etree.Element(root.tag, dict(root.attrib), nsmap=root.nsmap)
        message.text = root.text
        for el in root:
            if el is containers[0]:
                box = etree.SubElement(message, el.tag, dict(el.attrib))
                box.text = el.text
                box.tail = el.tail
                for child in children[start : start + VALIDATION_CHUNK]:
                    box.append(copy.deepcopy(child))
            elif first:
                message.append(copy.deepcopy(el))
        first = False
        if strip_pre_proceedings:
            for el in list(message.iter("PreProceedingsandFGDM")):
                el.getparent().remove(el)
        yield message.getroottree()


def _error_element(message: str) -> str | None:
    m = re.match(r"Element '([^']+)'", message)
    return local(m.group(1)) if m else None


def _error_value(message: str) -> str | None:
    m = re.search(r"The value '([^']*)'|'([^']*)' is not a valid value", message)
    if not m:
        return None
    return m.group(1) if m.group(1) is not None else m.group(2)
