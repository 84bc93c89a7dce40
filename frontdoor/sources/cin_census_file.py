"""Reading one CIN census file into row dicts, with its problems: never raises on bad content.

Apart from merging the years (frontdoor.sources.cin_census) because it is the XML itself: parsed
safely (a file cut short or using entities is never half read), its header's collection year,
its check by the specification or an XSD, text and elements where none belong, and the child's
identifiers and characteristics (a child's CINdetails: frontdoor.sources.cin_census_episodes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from frontdoor.sources import (
    FILE_COLUMN,
    LINE_COLUMN,
    REJECTED,
    STOP,
    WARNING,
    Problem,
    cin_checks,
)
from frontdoor.sources.cin_census_episodes import pre_proceedings, read_cin_details
from frontdoor.sources.cin_census_layout import (
    DATE_ELEMENTS,
    ELEMENT_TABLE,
    GENDER_TO_SEX,
    KNOWN_CHILDREN,
    PRE_PROCEEDINGS_TABLE,
    SEXES,
    TABLE_ORDER,
    XSD_ENV,
    _local,
    _valid_date,
)


@dataclass
class FileResult:
    """One file's rows by table, its collection year and dates (to merge years), its problems."""

    path: Path
    year: int | None = None
    reference_date: str = ""
    generated: str = ""
    rows: dict[str, list[dict]] = field(default_factory=lambda: {t: [] for t in TABLE_ORDER})
    problems: list[Problem] = field(default_factory=list)


class FileReader:
    """Reads one census file into row dicts, collecting problems; never raises on bad content."""

    def __init__(self, path: Path, xsds: list[cin_checks.Xsd], xsd_folder: Path | None):
        self.path = Path(path)
        self.file = str(path)
        self.xsds = xsds
        self.xsd_folder = xsd_folder
        self.result = FileResult(self.path)
        self._child_id: str | None = None

    # problems
    def problem(self, severity: str, reason: str, el=None, **kw) -> None:
        line = kw.pop("line", None)
        if line is None and el is not None:
            line = el.sourceline
        if "record_id" not in kw:
            kw["record_id"] = self._child_id
        if "table" not in kw:
            kw["table"] = ELEMENT_TABLE.get(kw.get("column") or "")
        self.result.problems.append(
            Problem(severity=severity, reason=reason, file=self.file, line=line, **kw)
        )

    # parsing
    def read(self) -> FileResult:
        tree = self._parse()
        if tree is None:
            return self.result
        root = tree.getroot()
        if _local(root.tag) != "Message":
            self.problem(
                STOP,
                f"not a CIN census file: the root element is <{_local(root.tag)}>, "
                "expected <Message>",
                root,
            )
            return self.result
        self._header(root)
        self._validate(root)
        children = [c for c in root if _local(c.tag) == "Children"]
        if not children:
            self.problem(STOP, "no <Children> element: the file holds no children", root)
            return self.result
        for container in children:
            self._stray_text(container)
            for child in container:
                if _local(child.tag) == "Child":
                    try:
                        self._child(child)
                    except Exception as exc:  # noqa: BLE001 - one bad child never stops the file
                        self.problem(
                            REJECTED,
                            f"child could not be read ({type(exc).__name__}: {exc}); skipped",
                            child,
                        )
                    finally:
                        self._child_id = None
                elif _local(child.tag):
                    self.problem(
                        WARNING,
                        f"unexpected element <{_local(child.tag)}> in <Children>; ignored",
                        child,
                        column=_local(child.tag),
                    )
        return self.result

    def _parse(self):
        """The document, or None with a STOP: a census that is cut short or ill-formed is never
        half read, and entities are never expanded (a census has none; they can read other files
        or grow without limit)."""
        parser = etree.XMLParser(
            huge_tree=True,
            remove_blank_text=False,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
        )
        try:
            tree = etree.parse(str(self.path), parser)
        except OSError as exc:
            self.problem(STOP, f"cannot read the file: {exc}", record_id=None)
            return None
        except etree.XMLSyntaxError as exc:
            line, column = exc.position
            self.problem(
                STOP,
                f"the file is not well-formed XML at line {line}, column {column} ({exc.msg}). "
                "Nothing of it was loaded: a file cut short by a failed copy or export, or "
                "edited by hand, cannot be read safely. Export the census again and load again.",
                line=line,
                column=f"column {column}",
                record_id=None,
            )
            return None
        entity = next((e for e in tree.iter() if isinstance(e, etree._Entity)), None)
        if entity is not None:
            self.problem(
                STOP,
                f"the file uses the entity {entity.text} (declared in its DOCTYPE), which "
                "frontdoor does not expand: a CIN census never declares entities, and expanding "
                "them can read other files or take unbounded memory. Nothing of it was loaded. "
                "Export the census again from the case management system and load again.",
                line=entity.sourceline,
                value=entity.text,
                record_id=None,
            )
            return None
        return tree

    def _header(self, root) -> None:
        def find(*names):
            el = root
            for n in names:
                el = next((c for c in el if _local(c.tag) == n), None)
                if el is None:
                    return None
            return el

        year_el = find("Header", "CollectionDetails", "Year")
        ref_el = find("Header", "CollectionDetails", "ReferenceDate")
        src = find("Header", "Source", "DateTime")
        year_text = (year_el.text or "").strip() if year_el is not None else ""
        self.result.reference_date = (ref_el.text or "").strip() if ref_el is not None else ""
        self.result.generated = (src.text or "").strip() if src is not None else ""
        if re.fullmatch(r"\d{4}", year_text):
            self.result.year = int(year_text)
        elif re.match(r"\d{4}-", self.result.reference_date):
            self.result.year = int(self.result.reference_date[:4])
            self.problem(
                WARNING,
                "no readable Header/CollectionDetails/Year; the collection year was taken from "
                f"the reference date ({self.result.year})",
                year_el if year_el is not None else root,
                column="Year",
                value=year_text or None,
                record_id=None,
            )
        else:
            self.problem(
                WARNING,
                "no collection year in Header/CollectionDetails (Year or ReferenceDate): this "
                "file ranks oldest when merged with other years",
                root,
                column="Year",
                record_id=None,
            )

    def _validate(self, root) -> None:
        """Check the file with the specification's rules, or with a DfE XSD the user named."""

        def report(reason: str, **kw) -> None:
            self.problem(WARNING, reason, **kw)

        if self.xsd_folder is not None:
            if self.xsds:
                cin_checks.check_with_xsds(
                    root, self.xsds, self.result.year, report, PRE_PROCEEDINGS_TABLE
                )
                return
            self.problem(
                WARNING,
                f"no CIN census XSD found in {self.xsd_folder} (named by the xsd folder or "
                f"${XSD_ENV}); the file was checked with the specification's rules built into "
                "frontdoor instead",
                root,
                record_id=None,
            )
        cin_checks.check_with_rules(root, report)

    # content checks
    def _stray_text(self, el) -> None:
        """Report text found between elements of an element-only container (and unknown tags)."""
        name = _local(el.tag)
        text = (el.text or "").strip()
        if text:
            self.problem(
                WARNING,
                f"stray text {text[:60]!r} inside <{name}>; ignored",
                el,
                column=name,
                value=text[:200],
            )
        known = KNOWN_CHILDREN.get(name)
        for sub in el:
            sub_name = _local(sub.tag)
            tail = (sub.tail or "").strip()
            if tail:
                where = f"after <{sub_name}>" if sub_name else "after a comment"
                self.problem(
                    WARNING,
                    f"stray text {tail[:60]!r} inside <{name}> ({where}); ignored",
                    sub,
                    column=name,
                    value=tail[:200],
                )
            if known is not None and sub_name and sub_name not in known:
                self.problem(
                    WARNING,
                    f"unexpected element <{sub_name}> in <{name}>; ignored",
                    sub,
                    column=sub_name,
                )

    def _container(self, el) -> dict[str, list]:
        """Check a container, then group its child elements by name."""
        self._stray_text(el)
        out: dict[str, list] = {}
        for sub in el:
            name = _local(sub.tag)
            if name:
                out.setdefault(name, []).append(sub)
        return out

    def _value(self, parts: dict[str, list], name: str) -> str | None:
        els = parts.get(name)
        if not els:
            return None
        el = els[0]
        if len(el):
            self.problem(
                WARNING,
                f"<{name}> should hold a value but holds elements; ignored",
                el,
                column=name,
            )
            return None
        text = (el.text or "").strip()
        if not text:
            return None
        if name in DATE_ELEMENTS and not _valid_date(text):
            self.problem(
                WARNING,
                f"<{name}> {text!r} is not a valid date (YYYY-MM-DD); passed on as written for "
                "the loader to judge (a record this date identifies cannot be loaded)",
                el,
                column=name,
                value=text,
            )
        return text

    def _line(self, el) -> int:
        return int(el.sourceline or 0)

    def _add(self, table: str, el, row: dict) -> None:
        row[FILE_COLUMN] = self.file
        row[LINE_COLUMN] = self._line(el)
        self.result.rows[table].append(row)

    # the child
    def _child(self, child) -> None:
        # Name the child before any check, so that every problem found inside carries its id.
        ident = next(
            (
                i
                for c in child
                if _local(c.tag) == "ChildIdentifiers"
                for i in c
                if _local(i.tag) == "LAchildID"
            ),
            None,
        )
        self._child_id = ((ident.text or "").strip() or None) if ident is not None else None
        parts = self._container(child)
        ids = parts.get("ChildIdentifiers", [None])[0]
        if ids is None:
            self.problem(REJECTED, "child without <ChildIdentifiers>; skipped", child)
            return
        idp = self._container(ids)
        child_id = self._value(idp, "LAchildID")
        if not child_id:
            self.problem(
                REJECTED,
                "child without LAchildID; the child and all its records were skipped",
                child,
                column="LAchildID",
            )
            return
        self._child_id = child_id
        chars = parts.get("ChildCharacteristics", [None])[0]
        cp = self._container(chars) if chars is not None else {}
        disabilities = []
        for dis in cp.get("Disabilities", []):
            dp = self._container(dis)
            for d in dp.get("Disability", []):
                if (d.text or "").strip():
                    disabilities.append(d.text.strip())
        self._add(
            "ssd_person",
            child,
            {
                "pers_person_id": child_id,
                "pers_sex": self._sex(idp),
                "pers_ethnicity": self._value(cp, "Ethnicity"),
                "pers_dob": self._value(idp, "PersonBirthDate"),
                "pers_expected_dob": self._value(idp, "ExpectedPersonBirthDate"),
                "pers_death_date": self._value(idp, "PersonDeathDate"),
                "pers_upn_unknown": self._value(idp, "UPNunknown"),
                "pers_disabilities": ",".join(disabilities) or None,
            },
        )
        for cin in parts.get("CINdetails", []):
            read_cin_details(self, child_id, cin)
        for pp in parts.get("PreProceedingsandFGDM", []):
            pre_proceedings(self, child_id, None, pp)

    def _sex(self, idp: dict[str, list]) -> str | None:
        if "Sex" in idp:
            raw = self._value(idp, "Sex")
            if raw is None:
                return None
            if raw.upper() in SEXES:
                return raw.upper()
            if raw in GENDER_TO_SEX:
                self.problem(
                    WARNING,
                    f"<Sex> {raw!r} is a GenderCurrent code (1/2/0/9), not M/F/U; read as "
                    f"{GENDER_TO_SEX[raw]}",
                    idp["Sex"][0],
                    column="Sex",
                    value=raw,
                )
                return GENDER_TO_SEX[raw]
            self.problem(
                WARNING,
                f"<Sex> {raw!r} is not M, F or U; kept as is",
                idp["Sex"][0],
                column="Sex",
                value=raw,
            )
            return raw
        raw = self._value(idp, "GenderCurrent")
        if raw is None:
            return None
        if raw in GENDER_TO_SEX:
            return GENDER_TO_SEX[raw]
        if raw.upper() in SEXES:
            return raw.upper()
        self.problem(
            WARNING,
            f"<GenderCurrent> {raw!r} is not 1, 2, 0 or 9; kept as is",
            idp["GenderCurrent"][0],
            column="GenderCurrent",
            value=raw,
        )
        return raw

    def _missing(self, el, module: str, element: str) -> None:
        self.problem(
            REJECTED,
            f"<{module}> without <{element}>: the record has no date to identify it; skipped",
            el,
            column=element,
        )
