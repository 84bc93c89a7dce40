"""Print an HTML document to PDF with headless Chromium (the review pack's PDF download).

The document is written to a private temporary folder (0700, the file 0600), printed with
Chromium's --print-to-pdf with the network shut off (nothing in the document is fetched: the
pack is self-contained and every value in it is escaped), and the folder is removed. Where
Chromium is absent, `unavailable()` says why, so the page can say so instead of failing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_ENV = "FRONTDOOR_CHROMIUM"
DEFAULT_CHROMIUM = Path("/usr/bin/chromium")
TIMEOUT_S = 90
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no network at all, whatever the document says
]


class PdfUnavailable(Exception):
    """The PDF cannot be made here; the message says why and what to do instead."""


def chromium() -> Path:
    return Path(os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM))


def unavailable() -> str | None:
    """Why a PDF cannot be made on this machine, or None when it can."""
    path = chromium()
    if not path.exists() or not os.access(path, os.X_OK):
        return (
            f"Chromium is not installed on the server ({path}), so the pack cannot be made as a "
            "PDF here. Download the HTML and print it to PDF from your browser, or ask the "
            "operator to install Chromium (apt-get install chromium)."
        )
    return None


def html_to_pdf(document: str) -> bytes:
    """The document printed to PDF (page size from its CSS @page rule)."""
    reason = unavailable()
    if reason:
        raise PdfUnavailable(reason)
    folder = Path(tempfile.mkdtemp(prefix="frontdoor-pdf-"))  # 0700: the owner only
    try:
        page, pdf = folder / "pack.html", folder / "pack.pdf"
        fd = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(document)
        args = [
            str(chromium()),
            *_FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        try:
            subprocess.run(
                args,
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # Chromium's chatter could carry the file's name
                timeout=TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfUnavailable(
                f"Chromium did not finish the PDF within {TIMEOUT_S} seconds; download the HTML "
                "and print it from your browser."
            ) from exc
        if not pdf.exists() or pdf.stat().st_size == 0:
            raise PdfUnavailable(
                "Chromium could not print the pack to PDF; download the HTML and print it from "
                "your browser."
            )
        return pdf.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
