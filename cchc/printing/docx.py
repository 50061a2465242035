"""An OfficialDocument as a .docx laid out as Nghị định 30/2020 (Phụ lục I) asks, editable in Word.

The package (parts, sections, headers, properties) comes from python-docx; paragraphs and tables are
written as WordprocessingML directly, with their formatting on each paragraph and run, so a task
table of a thousand rows is built in well under a second and every run says "Times New Roman"
whatever styles the office's Word applies. The DOCX does not embed fonts: offices have Times New
Roman; rule lengths are measured with Tinos, which has the same metrics.
"""

import copy
import datetime
import functools
import io
import unicodedata
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from .document import ADDRESSEE_WORD, Appendix, Column, GroupRow, Heading, OfficialDocument, Paragraph, Table

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PROPERTY_LENGTH = 255  # the most a core property (title, author) holds; python-docx refuses more
FONT = "Times New Roman"
A4 = (210.0, 297.0)  # mm, portrait
INDENT = 720  # first-line indent, twips (1.27 cm)
BODY_SPACING = {"after": 120, "line": 288, "lineRule": "auto"}  # 6 pt after, line spacing 1.2
TIGHT = {"before": 0, "after": 0, "line": 240, "lineRule": "auto"}
# The header's columns, as in the PDF: the table starts at the left margin, the right column holds
# "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (95.0 mm in bold at 13 pt) at 13 pt with the default margins
# and drops to 12 pt, the other size the decree allows, when wider margins leave it less room.
HEADER_LEFT_SHARE = 0.41  # of the text width
NATION_WIDTH_MM_AT_13 = 95.5
SIGNATURE_LINES = 5  # empty 14 pt lines (about 2.8 cm) for the signature and the seal
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

FONT_DIRS = (
    Path(__file__).resolve().parents[2] / "static" / "fonts",
    Path("/usr/share/fonts/truetype/croscore"),
)


def _property(text: str) -> str:
    """`text` as a core property holds it: cut at the last word that fits, with "…"."""
    if len(text) <= PROPERTY_LENGTH:
        return text
    return text[: PROPERTY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


# --- text measurement (for the rules under the header lines) -------------------------------------------


@functools.lru_cache(maxsize=4)
def _metrics(style: str):
    """(advance width per code point, units per em) of Tinos in `style`, or None without the font."""
    from fontTools.ttLib import TTFont

    for directory in FONT_DIRS:
        path = directory / f"Tinos-{style}.ttf"
        if path.exists():
            font = TTFont(path, lazy=True)
            hmtx = font["hmtx"]
            widths = {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}
            return widths, font["head"].unitsPerEm
    return None


def text_width_mm(text: str, size: float, *, bold: bool = False, italic: bool = False) -> float:
    """The printed width of one line of `text` in Times New Roman (measured with Tinos)."""
    style = {(False, False): "Regular", (True, False): "Bold", (False, True): "Italic"}.get(
        (bold, italic), "BoldItalic"
    )
    metrics = _metrics(style)
    if metrics is None:  # no font file: an average Times glyph is about half an em wide
        return len(text) * size * (0.55 if bold else 0.5) * 25.4 / 72
    widths, units = metrics
    total = 0
    for char in text:
        width = widths.get(ord(char))
        if width is None:
            width = widths.get(ord(unicodedata.normalize("NFD", char)[0]), units // 2)
        total += width
    return total / units * size * 25.4 / 72


# --- WordprocessingML building blocks --------------------------------------------------------------------


def _sub(parent, tag: str, **attrs):
    element = etree.SubElement(parent, qn(f"w:{tag}"))
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def _run_properties(parent, size: float, *, bold=False, italic=False):
    """rPr in schema order: rFonts, b, bCs, i, iCs, color, sz, szCs, lang."""
    rpr = _sub(parent, "rPr")
    _sub(rpr, "rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT)
    if bold:
        _sub(rpr, "b")
        _sub(rpr, "bCs")
    if italic:
        _sub(rpr, "i")
        _sub(rpr, "iCs")
    _sub(rpr, "color", val="000000")
    half_points = round(size * 2)
    _sub(rpr, "sz", val=half_points)
    _sub(rpr, "szCs", val=half_points)
    _sub(rpr, "lang", val="vi-VN")
    return rpr


def _border(parent, side: str, size: int = 6) -> None:
    _sub(parent, side, val="single", sz=size, space=1, color="000000")


def _paragraph(
    parent,
    text: str = "",
    *,
    size: float = 14,
    bold=False,
    italic=False,
    align="both",
    first_line=0,
    spacing=None,
    left=0,
    right=0,
    bottom_rule=False,
    box=False,
    keep_next=False,
    outline=None,
    lead="",
):
    """A w:p appended to `parent` (a body, a cell or a header); pPr children in schema order. A `lead`
    ("Điều 1.") is a bold run before the text."""
    p = etree.Element(qn("w:p"))
    ppr = _sub(p, "pPr")
    if keep_next:
        _sub(ppr, "keepNext")
    if bottom_rule or box:
        borders = _sub(ppr, "pBdr")
        for side in ("top", "left", "bottom", "right") if box else ("bottom",):
            _border(borders, side)
    _sub(ppr, "spacing", **(spacing or BODY_SPACING))
    if first_line or left or right:
        indents = {"firstLine": first_line} if first_line else {}
        if left or right:
            indents.update(left=left, right=right)
        _sub(ppr, "ind", **indents)
    _sub(ppr, "jc", val=align)
    if outline is not None:
        _sub(ppr, "outlineLvl", val=outline)
    _run_properties(ppr, size, bold=bold, italic=italic)  # the paragraph mark: sets an empty line's height
    if lead:
        run = _sub(p, "r")
        _run_properties(run, size, bold=True, italic=italic)
        _set_text(_sub(run, "t"), f"{lead} " if text else lead)
    if text:
        run = _sub(p, "r")
        _run_properties(run, size, bold=bold, italic=italic)
        _set_text(_sub(run, "t"), text)
    _append(parent, p)
    return p


def _set_text(t, text: str) -> None:
    t.text = text
    if text != text.strip() or "  " in text:  # Word would collapse the spaces of "ngày      tháng"
        t.set(XML_SPACE, "preserve")


def _clear(element) -> None:
    for child in list(element):
        element.remove(child)


def _append(parent, element) -> None:
    """Append to a cell or header, or to the body before its final section properties."""
    last = parent[-1] if len(parent) else None
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(element)
    else:
        parent.append(element)


def _rule(parent, length_mm: float, container_mm: float, *, after: int = 0) -> None:
    """A centred solid line `length_mm` long: the bottom border of a 2 pt high, indented paragraph."""
    side = twips(max(container_mm - length_mm, 0) / 2)
    _paragraph(
        parent,
        size=2,
        align="center",
        spacing={"before": 0, "after": after, "line": 240, "lineRule": "auto"},
        left=side,
        right=side,
        bottom_rule=True,
    )


def _table(parent, widths_mm, *, borders: bool, indent_mm: float = 0, cell_margin_mm: float = 1.4):
    """A fixed-layout w:tbl with one grid column per width; returns it (rows are added by the caller)."""
    tbl = etree.Element(qn("w:tbl"))
    tpr = _sub(tbl, "tblPr")
    _sub(tpr, "tblW", w=sum(twips(width) for width in widths_mm), type="dxa")
    if indent_mm:
        _sub(tpr, "tblInd", w=twips(indent_mm), type="dxa")
    edges = _sub(tpr, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if borders:
            _sub(edges, side, val="single", sz=4, space=0, color="000000")
        else:
            _sub(edges, side, val="nil")
    _sub(tpr, "tblLayout", type="fixed")
    margins = _sub(tpr, "tblCellMar")
    _sub(margins, "left", w=twips(cell_margin_mm), type="dxa")
    _sub(margins, "right", w=twips(cell_margin_mm), type="dxa")
    _sub(tpr, "tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0, noHBand=1, noVBand=1)
    grid = _sub(tbl, "tblGrid")
    for width in widths_mm:
        _sub(grid, "gridCol", w=twips(width))
    _append(parent, tbl)
    return tbl


def _row(tbl, *, header=False, cant_split=False):
    tr = _sub(tbl, "tr")
    if header or cant_split:
        trpr = _sub(tr, "trPr")
        _sub(trpr, "cantSplit")
        if header:
            _sub(trpr, "tblHeader")  # repeated at the top of every page the table runs onto
    return tr


def _cell(tr, width_mm: float, *, span: int = 1, valign: str = "top"):
    tc = _sub(tr, "tc")
    tcpr = _sub(tc, "tcPr")
    _sub(tcpr, "tcW", w=twips(width_mm), type="dxa")
    if span > 1:
        _sub(tcpr, "gridSpan", val=span)
    _sub(tcpr, "vAlign", val=valign)
    return tc


# --- the document ------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, document: OfficialDocument):
        self.document = document
        self.package = docx.Document()
        self.body = self.package.element.body
        margins = document.margins
        self.margins = margins

    def text_width(self, landscape: bool = False) -> float:
        page_width = A4[1] if landscape else A4[0]
        return page_width - self.margins.left - self.margins.right

    # The package: styles, sections, headers, properties.

    def setup(self) -> None:
        styles = self.package.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
        fonts.attrib.clear()
        for name in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn(f"w:{name}"), FONT)
        # What Word gives a paragraph typed into the file: the body's spacing.
        spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        spacing.attrib.clear()
        for name, value in BODY_SPACING.items():
            spacing.set(qn(f"w:{name}"), str(value))
        normal = self.package.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(14)
        normal.font.color.rgb = RGBColor(0, 0, 0)
        rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for name in ("ascii", "hAnsi", "cs", "eastAsia"):
            rfonts.set(qn(f"w:{name}"), FONT)
        lang = normal.element.rPr.find(qn("w:lang"))
        if lang is None:
            lang = _sub(normal.element.rPr, "lang")
        lang.set(qn("w:val"), "vi-VN")

        # Word 2013+ layout: no "Compatibility Mode" in the title bar.
        settings = self.package.settings.element
        for setting in settings.iter(qn("w:compatSetting")):
            if setting.get(qn("w:name")) == "compatibilityMode":
                setting.set(qn("w:val"), "15")

        section = self.package.sections[0]
        self.page_setup(section, landscape=False)
        section.different_first_page_header_footer = True
        first = section.first_page_header
        first.is_linked_to_previous = False  # creates it: page 1 shows no number
        _clear(first._element)
        _paragraph(first._element, size=2, spacing=TIGHT)
        header = section.header
        header.is_linked_to_previous = False
        self.page_number(header._element)

        properties = self.package.core_properties
        properties.title = _property(self.document.title)
        properties.author = _property(self.document.agency)
        properties.last_modified_by = _property(self.document.agency)
        properties.comments = ""
        properties.keywords = ""
        properties.revision = 1
        stamp = datetime.datetime.combine(
            self.document.date or datetime.date(self.document.year, 1, 1), datetime.time()
        )
        properties.created = stamp
        properties.modified = stamp

    def page_setup(self, section, *, landscape: bool) -> None:
        width, height = (A4[1], A4[0]) if landscape else A4
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width = Mm(width)
        section.page_height = Mm(height)
        section.top_margin = Mm(self.margins.top)
        section.bottom_margin = Mm(self.margins.bottom)
        section.left_margin = Mm(self.margins.left)
        section.right_margin = Mm(self.margins.right)
        section.header_distance = Mm(min(10, self.margins.top / 2))
        section.footer_distance = Mm(min(10, self.margins.bottom / 2))
        section.gutter = Mm(0)
        sectpr = section._sectPr
        numbering = sectpr.find(qn("w:pgNumType"))
        if numbering is None:
            numbering = etree.Element(qn("w:pgNumType"))
            following = [qn(f"w:{tag}") for tag in ("cols", "formProt", "vAlign", "noEndnote", "titlePg")]
            successor = next((child for child in sectpr if child.tag in following), None)
            if successor is not None:
                successor.addprevious(numbering)
            else:
                sectpr.pgMar.addnext(numbering)
        numbering.set(qn("w:start"), "1")

    def page_number(self, header) -> None:
        """A centred PAGE field, 14 pt: the header of every page but the first."""
        _clear(header)
        p = _paragraph(header, size=14, align="center", spacing=TIGHT)
        for kind, text in (
            ("begin", None),
            ("instr", " PAGE "),
            ("separate", None),
            ("text", "2"),
            ("end", None),
        ):
            run = _sub(p, "r")
            _run_properties(run, 14)
            if kind == "instr":
                instr = _sub(run, "instrText")
                instr.text = text
                instr.set(XML_SPACE, "preserve")
            elif kind == "text":
                _sub(run, "t").text = text
            else:
                _sub(run, "fldChar", fldCharType=kind)

    # Page 1.

    def draft_mark(self) -> None:
        width = self.text_width()
        _paragraph(
            self.body,
            "DỰ THẢO",
            bold=True,
            align="center",
            spacing={"before": 0, "after": 120, "line": 240, "lineRule": "auto"},
            left=twips(width - 38),
            box=True,
        )

    def header(self) -> None:
        document = self.document
        text_width = self.text_width()
        left = text_width * HEADER_LEFT_SHARE
        right = text_width - left
        margin = 0.5
        tbl = _table(self.body, (left, right), borders=False, cell_margin_mm=margin)
        inner_left, inner_right = left - 2 * margin, right - 2 * margin
        nation_size = 13 if inner_right >= NATION_WIDTH_MM_AT_13 else 12

        row = _row(tbl, cant_split=True)
        cell = _cell(row, left)
        _paragraph(cell, document.parent_body.upper(), size=13, align="center", spacing=TIGHT)
        _paragraph(cell, document.agency.upper(), size=13, bold=True, align="center", spacing=TIGHT)
        agency_line = min(text_width_mm(document.agency.upper(), 13, bold=True), inner_left)
        _rule(cell, agency_line * 0.4, inner_left)
        cell = _cell(row, right)
        _paragraph(
            cell,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            size=nation_size,
            bold=True,
            align="center",
            spacing=TIGHT,
        )
        motto = "Độc lập - Tự do - Hạnh phúc"
        _paragraph(cell, motto, size=14, bold=True, align="center", spacing=TIGHT)
        _rule(cell, min(text_width_mm(motto, 14, bold=True), inner_right), inner_right)

        # Số and the date share a row, so they stand on one line whatever the heights above.
        row = _row(tbl, cant_split=True)
        line = {"before": 120, "after": 0, "line": 240, "lineRule": "auto"}
        _paragraph(_cell(row, left), document.number_line, size=13, align="center", spacing=line)
        _paragraph(
            _cell(row, right), self.document.date_text, size=14, italic=True, align="center", spacing=line
        )

    def title(self) -> None:
        document = self.document
        width = self.text_width()
        centred = {"before": 0, "after": 0, "line": 240, "lineRule": "auto"}
        _paragraph(
            self.body,
            document.type_name.upper(),
            bold=True,
            align="center",
            spacing={**centred, "before": 360},
        )
        _paragraph(self.body, document.summary, bold=True, align="center", spacing=centred)
        summary_line = min(text_width_mm(document.summary, 14, bold=True), width)
        _rule(self.body, summary_line * 0.4, width, after=240)
        self.addressees(width)
        if document.authority:
            _paragraph(
                self.body,
                document.authority.upper(),
                bold=True,
                align="center",
                spacing={**centred, "after": 120},
                keep_next=True,
            )
        for line in document.legal_bases:
            _paragraph(self.body, line, italic=True, first_line=INDENT)
        if document.enacting:
            _paragraph(
                self.body,
                document.enacting,
                bold=True,
                align="center",
                spacing={**centred, "before": 120, "after": 240},
                keep_next=True,
            )

    def addressees(self, width: float) -> None:
        """ "Kính gửi:" (ô 9a) under the title block, regular 14, centred; several addressees one a line,
        their dashes under the colon of "Kính gửi:"."""
        lines = self.document.addressee_lines
        if not lines:
            return
        after = {"before": 0, "after": 0, "line": 240, "lineRule": "auto"}
        if len(lines) == 1:
            _paragraph(self.body, lines[0], align="center", spacing={**after, "after": 240})
            return
        indent = text_width_mm(ADDRESSEE_WORD[:-1], 14)
        block = max(
            text_width_mm(ADDRESSEE_WORD, 14), *(indent + text_width_mm(line, 14) for line in lines[1:])
        )
        start = max((width - block) / 2, 0)
        for index, line in enumerate(lines):
            _paragraph(
                self.body,
                line,
                align="left",
                spacing={**after, "after": 240} if index == len(lines) - 1 else after,
                left=twips(start if index == 0 else start + indent),
                keep_next=index < len(lines) - 1,
            )

    # Text and tables.

    def blocks(self, blocks, *, landscape: bool) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                level = min(max(block.level, 1), 3)
                _paragraph(
                    self.body,
                    block.text,
                    bold=level < 3,  # points "a) …" (level 3): regular, upright (Phụ lục I II.6.đ)
                    first_line=INDENT,
                    keep_next=True,
                    outline=level - 1,
                )
            elif isinstance(block, Paragraph):
                lines = [line for line in block.text.splitlines() if line.strip()]
                if block.lead and not lines:
                    lines = [""]
                for index, line in enumerate(lines):
                    _paragraph(self.body, line, first_line=INDENT, lead=block.lead if index == 0 else "")
            elif isinstance(block, Table):
                self.table(block, self.text_width(landscape))
            else:
                raise TypeError(f"Unknown block: {block!r}")

    def table(self, table: Table, width_mm: float) -> None:
        columns: tuple[Column, ...] = table.columns
        total = sum(column.width for column in columns) or 1
        widths = [width_mm * column.width / total for column in columns]
        tbl = _table(self.body, widths, borders=True)
        cell_spacing = {"before": 40, "after": 40, "line": 240, "lineRule": "auto"}

        # Paragraph templates, copied per cell: building each from scratch is the slow part.
        def template(bold=False, align="left", keep_next=False, italic=False):
            holder = etree.Element(qn("w:tc"))
            return _paragraph(
                holder,
                "x",
                size=12,
                bold=bold,
                italic=italic,
                align=align,
                spacing=cell_spacing,
                keep_next=keep_next,
            )

        plain = {column.align: template(align=_ALIGN.get(column.align, "left")) for column in columns}
        # the second-to-last row keeps with the last: a table never ends with one lone row on a page
        kept = {
            column.align: template(align=_ALIGN.get(column.align, "left"), keep_next=True)
            for column in columns
        }
        header = template(bold=True, align="center")
        # (label, text) of a group row; a sub-group's (III.1…) bold italic, lighter than its group's
        group_styles = {
            sub: (
                template(bold=True, italic=sub, align="center", keep_next=True),
                template(bold=True, italic=sub, align="left", keep_next=True),
            )
            for sub in (False, True)
        }

        def fill(tc, model, text: str) -> None:
            for line in text.split("\n") if text else [""]:
                p = copy.deepcopy(model)
                run = p.find(qn("w:r"))
                if line:
                    _set_text(run.find(qn("w:t")), line)
                else:
                    p.remove(run)
                tc.append(p)

        tr = _row(tbl, header=True)
        for column, width in zip(columns, widths, strict=True):
            fill(_cell(tr, width, valign="center"), header, column.title)
        last = len(table.rows) - 1
        for index, row in enumerate(table.rows):
            if isinstance(row, GroupRow):
                tr = _row(tbl, cant_split=True)
                group_label, group_text = group_styles[row.level > 0]
                if len(columns) == 1:
                    fill(_cell(tr, widths[0]), group_text, f"{row.label}. {row.text}")
                    continue
                fill(_cell(tr, widths[0]), group_label, row.label)
                fill(_cell(tr, sum(widths[1:]), span=len(columns) - 1), group_text, row.text)
                continue
            tr = _row(tbl, cant_split=True)  # a task row never splits across pages
            models = kept if index == last - 1 else plain
            for column, width, value in zip(columns, widths, row, strict=True):
                fill(_cell(tr, width), models[column.align], str(value))

    # The end of the text: recipients beside the signature.

    def signature(self) -> None:
        document = self.document
        width = self.text_width()
        left, right = width * 0.45, width * 0.55
        tbl = _table(self.body, (left, right), borders=False, cell_margin_mm=0.5)
        row = _row(tbl, cant_split=True)
        top = {"before": 240, "after": 0, "line": 240, "lineRule": "auto"}
        cell = _cell(row, left)
        _paragraph(cell, "Nơi nhận:", size=12, bold=True, italic=True, align="left", spacing=top)
        for line in document.recipients:
            _paragraph(cell, line, size=11, align="left", spacing=TIGHT)
        cell = _cell(row, right)
        signature = document.signature
        lines = [text.upper() for text in (signature.authority, signature.position) if text]
        for index, line in enumerate(lines):
            _paragraph(cell, line, bold=True, align="center", spacing=top if index == 0 else TIGHT)
        for _ in range(SIGNATURE_LINES):
            _paragraph(cell, align="center", spacing=TIGHT)
        _paragraph(cell, signature.name, bold=True, align="center", spacing=TIGHT)

    # Appendices: each in its own section, numbered from 1.

    def appendix(self, appendix: Appendix) -> None:
        section = self.package.add_section(WD_SECTION.NEW_PAGE)
        # The paragraph that now ends the previous section: keep it a hairline high.
        breaker = self.body.sectPr.getprevious()
        ppr = breaker.find(qn("w:pPr"))
        marker = etree.Element(qn("w:rPr"))
        _sub(marker, "sz", val=2)
        ppr.find(qn("w:sectPr")).addprevious(marker)
        ppr.insert(0, _spacing_element(TIGHT))

        self.page_setup(section, landscape=appendix.landscape)
        section.different_first_page_header_footer = True
        width = self.text_width(appendix.landscape)
        centred = {"before": 0, "after": 0, "line": 240, "lineRule": "auto"}
        _paragraph(self.body, appendix.label, bold=True, align="center", spacing=centred)
        _paragraph(self.body, appendix.title.upper(), bold=True, align="center", spacing=centred)
        _paragraph(self.body, appendix.attached_to, italic=True, align="center", spacing=centred)
        attached_line = min(text_width_mm(appendix.attached_to, 14, italic=True), width)
        _rule(self.body, attached_line * 0.4, width, after=240)
        self.blocks(appendix.blocks, landscape=appendix.landscape)

    def render(self) -> bytes:
        document = self.document
        self.setup()
        if document.draft:
            self.draft_mark()
        self.header()
        self.title()
        self.blocks(document.body, landscape=False)
        self.signature()
        if not document.appendices:
            _paragraph(self.body, size=2, spacing=TIGHT)  # a document body ends with a paragraph
        for appendix in document.appendices:
            self.appendix(appendix)
        buffer = io.BytesIO()
        self.package.save(buffer)
        return buffer.getvalue()


_ALIGN = {"left": "left", "center": "center", "right": "right"}


def _spacing_element(values: dict):
    element = etree.Element(qn("w:spacing"))
    for name, value in values.items():
        element.set(qn(f"w:{name}"), str(value))
    return element


def render_docx(document: OfficialDocument) -> bytes:
    """The document as a .docx: A4, margins as given, the NĐ 30 header, body, signature and recipients,
    each appendix in its own section (landscape when asked) numbered from 1."""
    return _Writer(document).render()
