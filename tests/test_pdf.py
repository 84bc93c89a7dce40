"""The review pack as PDF: Chromium's print of the escaped HTML, A4, made in a private folder
that is removed afterwards; where Chromium is absent, the reason instead of a failure."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

import pytest

from frontdoor import pdf

PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><style>@page { size: A4; margin: 15mm; }"
    "</style></head><body><h1>Review pack</h1><p>&lt;script&gt;</p></body></html>"
)


def _need_chromium() -> None:
    if pdf.unavailable() is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(pdf.unavailable())
    pytest.skip(pdf.unavailable())


def test_html_prints_to_an_a4_pdf(tmp_path, monkeypatch):
    _need_chromium()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = pdf.html_to_pdf(PAGE)
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes, "no page in the PDF"
    for width, height in boxes:  # A4 is 595.28 x 841.89 points
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2
    assert list(tmp_path.iterdir()) == []  # the private folder is gone


def test_the_document_is_written_privately(tmp_path, monkeypatch):
    """A stand-in for Chromium (an external program) records the permissions it finds."""
    seen = tmp_path / "seen.txt"
    fake = tmp_path / "fake-chromium"
    fake.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; '
        'file://*) page="${a#file://}";; esac; done\n'
        f'stat -c "%a" "$page" "$(dirname "$page")" > {seen}\n'
        'printf "%%PDF-1.4 fake" > "$out"\n'
    )
    fake.chmod(0o700)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(fake))
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    assert pdf.html_to_pdf(PAGE) == b"%PDF-1.4 fake"
    assert seen.read_text().split() == ["600", "700"]
    assert list(work.iterdir()) == []


def test_without_chromium_the_reason_is_given(tmp_path, monkeypatch):
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    reason = pdf.unavailable()
    assert reason and "Chromium is not installed" in reason and "print it to PDF" in reason
    with pytest.raises(pdf.PdfUnavailable, match="Chromium is not installed"):
        pdf.html_to_pdf(PAGE)
    not_runnable = tmp_path / "chromium"
    not_runnable.write_text("")
    not_runnable.chmod(stat.S_IRUSR)
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(not_runnable))
    assert pdf.unavailable() is not None


def test_a_failed_print_says_what_to_do(tmp_path, monkeypatch):
    fake = tmp_path / "broken-chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o700)
    monkeypatch.setenv(pdf.CHROMIUM_ENV, str(fake))
    with pytest.raises(pdf.PdfUnavailable, match="download the HTML"):
        pdf.html_to_pdf(PAGE)
    assert Path(tempfile.gettempdir()).exists()
