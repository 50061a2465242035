"""Printed documents as files: rendered once per content, kept, and handed out again and again.

A file is stored under the digest of everything it prints (OfficialDocument.cache_key) and its format,
in the private storage beside the evidence files, so an unchanged document is never rendered twice and
a changed one never comes out of the store stale. A document that would take more than about a second
(a PDF of a long task table) is rendered by a Celery job while the page says it is being prepared;
the others are rendered during the request.
"""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from cchc.printing.document import OfficialDocument, Table
from cchc.printing.docx import DOCX_CONTENT_TYPE, render_docx
from cchc.printing.xlsx import render_tables_xlsx
from cchc.xlsx_style import XLSX_CONTENT_TYPE

# A PDF with more table rows than this goes to a job: WeasyPrint lays out about 100 rows a second here
# (manage.py bench prints the figures), the official frame takes a few tenths of a second more.
PDF_ROWS_IN_REQUEST = 60
PENDING_SECONDS = 10 * 60  # a job not done by then is started again on the next request


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    extension: str
    content_type: str
    inline: bool  # shown in the browser (PDF) rather than saved


FORMATS = {
    "pdf": Format("pdf", "PDF", ".pdf", "application/pdf", True),
    "docx": Format("docx", "Word", ".docx", DOCX_CONTENT_TYPE, False),
    "xlsx": Format("xlsx", "Excel", ".xlsx", XLSX_CONTENT_TYPE, False),
}


def render(document: OfficialDocument, code: str) -> bytes:
    if code == "pdf":
        from cchc.printing.pdf import render_pdf  # WeasyPrint: loaded only by a process that prints

        return render_pdf(document)
    if code == "docx":
        return render_docx(document)
    if code == "xlsx":
        return render_tables_xlsx(document)
    raise ValueError(f"unknown format {code!r}")


def has_tables(document: OfficialDocument) -> bool:
    return any(isinstance(block, Table) for block in _blocks(document))


def _blocks(document: OfficialDocument):
    yield from document.body
    for appendix in document.appendices:
        yield from appendix.blocks


def table_rows(document: OfficialDocument) -> int:
    return sum(len(block.rows) for block in _blocks(document) if isinstance(block, Table))


def is_heavy(document: OfficialDocument, code: str) -> bool:
    """Whether rendering would keep the request waiting for about a second or more."""
    return code == "pdf" and table_rows(document) > PDF_ROWS_IN_REQUEST


def store_root() -> Path:
    return Path(settings.PRIVATE_STORAGE_ROOT) / "documents"


def stored_path(key: str, code: str) -> Path:
    return store_root() / f"{key}{FORMATS[code].extension}"


def store(document: OfficialDocument, code: str) -> Path:
    """Render and keep the file; written to a temporary name and moved, so a reader never sees half."""
    path = stored_path(document.cache_key(), code)
    if path.exists():
        return path
    data = render(document, code)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
    return path


def _pending_key(key: str, code: str) -> str:
    return f"printing:pending:{key}:{code}"


def _failed_key(key: str, code: str) -> str:
    return f"printing:failed:{key}:{code}"


def mark_pending(key: str, code: str) -> bool:
    """Claim the rendering of this file for one job; False when a job already has it."""
    return cache.add(_pending_key(key, code), 1, PENDING_SECONDS)


def mark_done(key: str, code: str, error: str = "") -> None:
    cache.delete(_pending_key(key, code))
    if error:
        cache.set(_failed_key(key, code), error, PENDING_SECONDS)


def failure(key: str, code: str) -> str:
    """Why the last job for this file failed (shown once; the next request tries again)."""
    message = cache.get(_failed_key(key, code), "")
    if message:
        cache.delete(_failed_key(key, code))
    return message


def download_name(document: OfficialDocument, code: str) -> str:
    """'Kế hoạch 14-KH-SKHĐT.pdf': the title, with the slash of the number (not allowed in file names)."""
    title = (document.title or document.type_name.capitalize()).replace("/", "-")
    if document.draft:
        title += " (dự thảo)"
    return f"{title}{FORMATS[code].extension}"
