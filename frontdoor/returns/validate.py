"""Check a written census against the DfE schema of its year, where the schema is at hand.

The XSDs are DfE's, not ours: they are found in `xsd_dir`, else `$FRONTDOOR_CIN_XSD_DIR` (as the
census reader finds them), else `../shared/samples/cin_census` beside the repository. Without
one the census is not validated against a schema, and the summary says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from frontdoor.sources.cin_census_layout import XSD_ENV

# Where the public samples keep DfE's XSDs beside a checkout (CI has them).
DEFAULT_XSD_DIR = Path(__file__).resolve().parents[3] / "shared" / "samples" / "cin_census"


@dataclass
class Validation:
    xsd: Path | None
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool | None:
        """True/False against the XSD; None when no XSD was found."""
        return None if self.xsd is None else not self.errors

    def summary(self) -> str:
        if self.xsd is None:
            return "not validated: no DfE schema found (set FRONTDOOR_CIN_XSD_DIR)"
        if not self.errors:
            return f"valid against {self.xsd.name}"
        shown = "; ".join(self.errors[:5])
        return f"{len(self.errors)} error(s) against {self.xsd.name}: {shown}"


def census_xsd(year: int, xsd_dir: Path | str | None = None) -> Path | None:
    """CIN_schema_<year>.xsd from the first folder that has it, else None."""
    import os

    folders = [Path(xsd_dir)] if xsd_dir is not None else []
    if os.environ.get(XSD_ENV):
        folders.append(Path(os.environ[XSD_ENV]))
    folders.append(DEFAULT_XSD_DIR)
    for folder in folders:
        candidate = folder / f"CIN_schema_{year}.xsd"
        if candidate.is_file():
            return candidate
    return None


def validate_census(content: bytes, year: int, xsd_dir: Path | str | None = None) -> Validation:
    """Validate census XML (bytes) against the XSD of collection year `year`."""
    xsd = census_xsd(year, xsd_dir)
    if xsd is None:
        return Validation(None)
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    doc = etree.fromstring(content, etree.XMLParser(huge_tree=True)).getroottree()
    if schema.validate(doc):
        return Validation(xsd)
    return Validation(xsd, [f"line {e.line}: {e.message}" for e in schema.error_log])
