"""An OfficialDocument printed to PDF with WeasyPrint, laid out as Nghị định 30/2020/NĐ-CP requires.

The markup is all in Django templates: documents/official.html with its parts (header, body blocks,
tables, signature and recipients, appendices) and documents/fonts.css. This module hands them plain data:
the blocks as dicts of a `kind`, texts split into their lines, the table's column widths in %.
"""

import atexit
import gc
import threading
import time
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from cchc import formatting
from cchc.printing.document import (
    ADDRESSEE_WORD,
    Appendix,
    GroupRow,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from cchc.printing.docx import text_width_mm

FONT_FACES = (
    ("Tinos-Regular.ttf", "normal", "normal"),
    ("Tinos-Bold.ttf", "bold", "normal"),
    ("Tinos-Italic.ttf", "normal", "italic"),
    ("Tinos-BoldItalic.ttf", "bold", "italic"),
)
TEMPLATE = "documents/official.html"
STYLESHEET = "documents/official.css"
FONTS_STYLESHEET = "documents/fonts.css"
ALIGN_CLASSES = {"left": "", "center": "c", "right": "r"}
# The header's columns, in % of the text width. "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in Tinos Bold is
# 95.0 mm wide at 13 pt: the right column holds it at 13 pt with the default margins (59 % of 165 mm);
# with wider margins it drops to 12 pt, the other size the decree allows, rather than overflow.
HEADER_LEFT = 41
NATION_WIDTH_MM_AT_13 = 95.5


def fonts_dir() -> Path:
    return Path(settings.BASE_DIR) / "static" / "fonts"


def font_paths() -> list[Path]:
    return [fonts_dir() / name for name, _, _ in FONT_FACES]


def _font_faces() -> list[dict]:
    return [
        {"url": (fonts_dir() / name).as_uri(), "weight": weight, "style": style}
        for name, weight, style in FONT_FACES
    ]


@cache
def _stylesheet_path() -> Path:
    for directory in settings.TEMPLATES[0]["DIRS"]:
        path = Path(directory) / STYLESHEET
        if path.exists():
            return path
    raise FileNotFoundError(STYLESHEET)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _row(row: tuple[str, ...] | GroupRow, aligns: list[str]) -> dict:
    if isinstance(row, GroupRow):
        return {"group": row, "cells": ()}
    # a cell's lines, one <br> apart in the template (linebreaksbr)
    cells = [
        {"align": align, "text": "\n".join(_lines(text))} for align, text in zip(aligns, row, strict=False)
    ]
    return {"group": None, "cells": cells}


def _table(table: Table) -> dict:
    aligns = [ALIGN_CLASSES.get(column.align, "") for column in table.columns]
    rows = [_row(row, aligns) for row in table.rows]
    if len(rows) >= 2 and rows[-2]["group"] is None:
        # the last two rows stay together: no page of the table holds its last row alone
        rows[-2]["keep_next"] = True
    return {
        "kind": "table",
        "columns": [{"title": column.title, "percent": column.width * 100} for column in table.columns],
        "span": len(table.columns) - 1,  # a group row's text spans every column after its label
        "rows": rows,
    }


def _blocks(blocks) -> list[dict]:
    """The blocks as documents/parts/blocks.html prints them."""
    printed = []
    for block in blocks:
        if isinstance(block, Heading):
            printed.append({"kind": "heading", "level": min(max(block.level, 1), 3), "text": block.text})
        elif isinstance(block, Paragraph):
            lines = _lines(block.text)
            if block.lead and not lines:
                lines = [""]
            printed.append({"kind": "paragraph", "lead": block.lead, "lines": lines})
        elif isinstance(block, Table):
            printed.append(_table(block))
        else:
            raise TypeError(f"Cannot print a {type(block).__name__}")
    return printed


def _appendix_context(index: int, appendix: Appendix) -> dict:
    return {
        "page": f"appendix{index}",
        "landscape": appendix.landscape,
        "label": appendix.label,
        "title": formatting.upper(appendix.title),
        "attached_to": appendix.attached_to,
        "blocks": _blocks(appendix.blocks),
    }


def _header(document: OfficialDocument) -> dict:
    margins = document.margins
    right_column = (210 - margins.left - margins.right) * (100 - HEADER_LEFT) / 100
    return {
        "left": HEADER_LEFT,
        "right": 100 - HEADER_LEFT,
        "nation_size": 13 if right_column >= NATION_WIDTH_MM_AT_13 else 12,
    }


def render_html(document: OfficialDocument) -> str:
    """The document as the HTML WeasyPrint lays out (also handy to look at in a browser)."""
    return render_to_string(
        TEMPLATE,
        {
            "document": document,
            "header": _header(document),
            "date_line": document.date_text,
            "addressees": document.addressee_lines,
            # the addressees' dashes stand under the colon of "Kính gửi:"
            "addressee_indent": text_width_mm(ADDRESSEE_WORD[:-1], 14),
            "authority": formatting.upper(document.authority),
            "body": _blocks(document.body),
            "appendices": [
                _appendix_context(index, appendix)
                for index, appendix in enumerate(document.appendices, start=1)
            ],
        },
    )


_prepared = threading.local()


@atexit.register
def _release_fonts() -> None:
    # WeasyPrint's FontConfiguration cannot clean up once the interpreter is tearing modules down.
    _prepared.__dict__.clear()


def _stylesheet():
    """The fonts and the stylesheet, loaded once per thread (Pango's font map is not thread-safe)."""
    if getattr(_prepared, "stylesheet", None) is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        fonts = render_to_string(FONTS_STYLESHEET, {"faces": _font_faces()})
        text = fonts + _stylesheet_path().read_text(encoding="utf-8")
        _prepared.font_config = font_config
        _prepared.stylesheet = CSS(string=text, base_url=str(settings.BASE_DIR), font_config=font_config)
    return _prepared.stylesheet, _prepared.font_config


def render_pdf(document: OfficialDocument, deadline: float | None = None) -> bytes:
    """The document as a PDF: A4, Tinos embedded (subset), page numbers from page 2, each appendix
    on its own pages and numbered on its own. A layout that ends after `deadline` (time.monotonic())
    raises TimeoutError instead of being written out."""
    from weasyprint import HTML

    stylesheet, font_config = _stylesheet()
    html = HTML(string=render_html(document), base_url=str(settings.BASE_DIR))
    # A render allocates hundreds of thousands of short-lived objects and creates no garbage cycles
    # worth collecting midway: pausing the cycle collector saves about a sixth of the time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        options = {"stylesheets": [stylesheet], "presentational_hints": False, "optimize_images": True}
        laid_out = html.render(font_config=font_config, **options)  # the layout: nearly all the time
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"laid out {len(laid_out.pages)} pages past the deadline")
        return laid_out.write_pdf(**options)
    finally:
        if collecting:
            gc.enable()
