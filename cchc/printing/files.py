"""Printed documents as files: rendered once per content, kept, and handed out again and again.

A file is stored under the digest of everything it prints (OfficialDocument.cache_key) and its format,
`documents/<key>.<ext>` in the private storage beside the evidence files (cchc.storage), so an unchanged
document is never rendered twice, a changed one never comes out of the store stale, and any web node
finds what any worker rendered. A document that would take more than about a second
(a PDF of a long task table, or of long texts) is rendered by a Celery job while the page says it is
being prepared; the others are rendered during the request. The job has a time limit: a document that
cannot be laid out within it is recorded as too long, and the page says so until its content changes.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.cache import cache

from cchc import storage
from cchc.printing.document import GroupRow, OfficialDocument, Table
from cchc.printing.docx import DOCX_CONTENT_TYPE, render_docx
from cchc.printing.xlsx import render_tables_xlsx
from cchc.xlsx_style import XLSX_CONTENT_TYPE

# A PDF with more table rows than this goes to a job: WeasyPrint lays out about 100 rows a second here
# (manage.py bench prints the figures), the official frame takes a few tenths of a second more.
PDF_ROWS_IN_REQUEST = 60
# A PDF whose estimated layout time is longer than this goes to a job too, however few its rows. The rates
# were measured with WeasyPrint here: a block of text costs more than its length, a paragraph of 200,000
# characters taking 5 s against 0.75 s for 50,000, and text in a table's narrow cells about 25,000
# characters a second.
PDF_SECONDS_IN_REQUEST = 1.0
FRAME_SECONDS = 0.2  # the header, the signature, the fonts
ROWS_PER_SECOND = 250
CELL_CHARACTERS_PER_SECOND = 25_000
PARAGRAPH_CHARACTERS_PER_SECOND = 125_000
PARAGRAPH_QUADRATIC_CHARACTERS = 100_000  # a paragraph of this length costs one more second on its own
NAME_LENGTH = 100  # characters of a title kept in a download's file name
PENDING_SECONDS = 10 * 60  # a job not done by then is started again on the next request
TOO_LONG_SECONDS = 60 * 60  # how long a document that ran out of time is not tried again


_deadline: ContextVar[float | None] = ContextVar("printing_deadline", default=None)


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


@contextmanager
def deadline(seconds: float):
    """Within this block a PDF whose layout ends more than `seconds` from now raises TimeoutError
    rather than being written (the render job's limit, where no worker enforces it)."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def render(document: OfficialDocument, code: str) -> bytes:
    if code == "pdf":
        from cchc.printing.pdf import render_pdf  # WeasyPrint: loaded only by a process that prints

        return render_pdf(document, deadline=_deadline.get())
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


def _paragraph_seconds(text: str) -> float:
    seconds = 0.0
    for line in text.splitlines():  # each line is a paragraph of its own in the PDF
        length = len(line)
        seconds += length / PARAGRAPH_CHARACTERS_PER_SECOND + (length / PARAGRAPH_QUADRATIC_CHARACTERS) ** 2
    return seconds


def estimated_seconds(document: OfficialDocument) -> float:
    """About how long WeasyPrint takes to lay the document out: its rows and the length of its texts."""
    seconds = FRAME_SECONDS + _paragraph_seconds(document.summary)
    seconds += sum(_paragraph_seconds(text) for text in (*document.legal_bases, *document.recipients))
    for block in _blocks(document):
        if isinstance(block, Table):
            seconds += len(block.rows) / ROWS_PER_SECOND
            for row in block.rows:
                cells = (row.label, row.text) if isinstance(row, GroupRow) else row
                seconds += sum(len(cell) for cell in cells) / CELL_CHARACTERS_PER_SECOND
        else:
            seconds += _paragraph_seconds(block.text)
    return seconds


def is_heavy(document: OfficialDocument, code: str) -> bool:
    """Whether rendering would keep the request waiting for about a second or more."""
    if code != "pdf":
        return False
    return table_rows(document) > PDF_ROWS_IN_REQUEST or estimated_seconds(document) > PDF_SECONDS_IN_REQUEST


STORE_FOLDER = "documents"


def stored_name(key: str, code: str) -> str:
    """The file's name in the private storage."""
    return f"{STORE_FOLDER}/{key}{FORMATS[code].extension}"


def store(document: OfficialDocument, code: str) -> str:
    """Render and keep the file unless it is kept already; returns its name. Written whole under that
    name (cchc.storage.write), so a reader never sees half; two workers rendering the same content at
    once write the same bytes."""
    name = stored_name(document.cache_key(), code)
    if storage.exists(name):
        return name
    return storage.write(name, render(document, code))


def _pending_key(key: str, code: str) -> str:
    return f"printing:pending:{key}:{code}"


def _failed_key(key: str, code: str) -> str:
    return f"printing:failed:{key}:{code}"


def _too_long_key(key: str, code: str) -> str:
    return f"printing:too-long:{key}:{code}"


def mark_pending(key: str, code: str) -> bool:
    """Claim the rendering of this file for one job; False when a job already has it."""
    return cache.add(_pending_key(key, code), {"started": None}, PENDING_SECONDS)


def mark_started(key: str, code: str) -> None:
    """The job has begun rendering (the time its limit runs from)."""
    cache.set(_pending_key(key, code), {"started": time.time()}, PENDING_SECONDS)


def overran(key: str, code: str, seconds: float) -> bool:
    """Whether the job rendering this file began more than `seconds` ago and has not finished: its
    worker was stopped at the hard time limit, before it could say so."""
    pending = cache.get(_pending_key(key, code))
    started = pending.get("started") if isinstance(pending, dict) else None
    return started is not None and time.time() - started > seconds


def mark_too_long(key: str, code: str) -> None:
    """The file could not be rendered within the time limit: not tried again until the content changes
    (a new key) or TOO_LONG_SECONDS have passed."""
    cache.delete(_pending_key(key, code))
    cache.set(_too_long_key(key, code), 1, TOO_LONG_SECONDS)


def is_too_long(key: str, code: str) -> bool:
    return bool(cache.get(_too_long_key(key, code)))


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
    """'Kế hoạch 14-KH-SKHĐT.pdf': the title, with the slash of the number (not allowed in file names),
    a long one cut at a word (a file system holds 255 bytes, Windows' paths 260 characters)."""
    title = (document.title or document.type_name.capitalize()).replace("/", "-")
    if len(title) > NAME_LENGTH:
        title = title[: NAME_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    if document.draft:
        title += " (dự thảo)"
    return f"{title}{FORMATS[code].extension}"
