"""What a printed document says, independent of the file format it is printed to.

Texts are final: numbering ("I.", "1.", "a)"), "Căn cứ …;" endings and "- …;" recipient lines are
already applied by the builders through cchc.formatting, so the PDF and the DOCX cannot differ.
"""

import datetime
from dataclasses import dataclass, field

from cchc.formatting import date_line

# What an undated draft leaves blank for the clerk to write in by hand (number, day, month).
BLANK = " " * 6
ADDRESSEE_WORD = "Kính gửi:"


@dataclass(frozen=True)
class Heading:
    """A section heading. level 1: "I. MỤC ĐÍCH, YÊU CẦU" (upper, bold); 2: "1. …" (bold);
    3: "a) …" (regular, upright: Phụ lục I, II.6.đ)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text: justified, first-line indent. Line breaks inside `text` start new paragraphs. A `lead`
    is printed bold at the start of the first one, the rest regular: "Điều 1." of a decision's article."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # share of the table's width; the shares of a table add up to 1
    align: str = "left"  # "left", "center" or "right"


@dataclass(frozen=True)
class GroupRow:
    """A bold row spanning the whole table: "I | CẢI CÁCH THỂ CHẾ"; a sub-group ("III.1 | Kiểm soát
    thủ tục hành chính", level 1 and deeper) is printed lighter, bold italic."""

    label: str
    text: str
    level: int = 0  # 0: a group (I, II…); 1: a sub-group (III.1); 2: inside that (III.1.1)…


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...] | GroupRow, ...]
    # The header row repeats at the top of every page the table runs onto.


@dataclass(frozen=True)
class Appendix:
    """An appendix: its own page(s), its own page numbering from 1."""

    label: str  # "Phụ lục" or "Phụ lục I" when a document has several
    title: str  # printed upper case, bold
    attached_to: str  # "(Kèm theo Kế hoạch số 14/KH-SKHĐT ngày 15/01/2019 của Sở Kế hoạch và Đầu tư)"
    blocks: tuple["Heading | Paragraph | Table", ...]
    landscape: bool = False


@dataclass(frozen=True)
class Signature:
    authority: str  # "KT. GIÁM ĐỐC", or "" when the head signs directly
    position: str  # "PHÓ GIÁM ĐỐC"
    name: str  # "Nguyễn Văn A", no titles


@dataclass(frozen=True)
class Margins:
    """Millimetres; Phụ lục I allows top 20–25, bottom 20–25, left 30–35, right 15–20."""

    top: float = 20
    bottom: float = 20
    left: float = 30
    right: float = 15

    @classmethod
    def configured(cls) -> "Margins":
        """The margins the deployment prints with (settings.DOCUMENT_MARGINS_MM)."""
        from django.conf import settings

        return cls(**settings.DOCUMENT_MARGINS_MM)


@dataclass(frozen=True)
class OfficialDocument:
    parent_body: str  # "UBND TỈNH VĨNH PHÚC" (left header, first line, regular)
    agency: str  # "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" (left header, bold, short rule below)
    number_line: str  # "Số: 14/KH-SKHĐT", or "Số:      /KH-SKHĐT" on a draft without a number
    place_name: str  # "Vĩnh Phúc"
    date: datetime.date | None  # None on a draft: "Vĩnh Phúc, ngày      tháng      năm 2019"
    year: int  # the year printed in an undated draft's date line
    type_name: str  # "KẾ HOẠCH", "BÁO CÁO"
    summary: str  # "Cải cách hành chính năm 2019 của Sở Kế hoạch và Đầu tư" (bold, short rule below)
    legal_bases: tuple[str, ...]  # italic lines, already ending with ";" / "."
    body: tuple[Heading | Paragraph | Table, ...]
    signature: Signature
    recipients: tuple[str, ...]  # "- Sở Nội vụ;" … "- Lưu: VT, VP."
    appendices: tuple[Appendix, ...] = ()
    # "Kính gửi:" (Phụ lục I, II.9.b) under the title block of a document sent upward: the addressees as
    # typed, without dashes or end punctuation (SignedDocument.addressee_list); () prints nothing.
    addressees: tuple[str, ...] = ()
    draft: bool = False  # prints the "DỰ THẢO" mark
    margins: Margins = field(default_factory=Margins.configured)
    title: str = ""  # file name / PDF metadata title, e.g. "Kế hoạch 14/KH-SKHĐT"
    # A decision (Phụ lục III, Mẫu 1.2): the issuing authority between the summary and the legal bases
    # ("GIÁM ĐỐC SỞ KẾ HOẠCH VÀ ĐẦU TƯ", printed upper case, bold, centred) and the enacting word after
    # them ("QUYẾT ĐỊNH:", bold, centred) before the articles. Other documents leave both empty.
    authority: str = ""
    enacting: str = ""

    @property
    def date_text(self) -> str:
        """'Vĩnh Phúc, ngày 15 tháng 01 năm 2019', or blanks for the clerk on an undated draft."""
        if self.date is None:
            return f"{self.place_name}, ngày{BLANK}tháng{BLANK}năm {self.year}"
        return date_line(self.place_name, self.date)

    @property
    def addressee_lines(self) -> tuple[str, ...]:
        """The "Kính gửi" lines (Phụ lục I, II.9.b): one addressee on one line, "Kính gửi: Bộ Nội vụ.";
        several: "Kính gửi:" then "- Bộ Nội vụ;" … "- Bộ Tài chính." one a line; () without addressees."""
        names = [name.strip().rstrip(";.,").strip() for name in self.addressees]
        names = [name for name in names if name]
        if not names:
            return ()
        if len(names) == 1:
            return (f"{ADDRESSEE_WORD} {names[0]}.",)
        return (ADDRESSEE_WORD, *(f"- {name};" for name in names[:-1]), f"- {names[-1]}.")

    def cache_key(self) -> str:
        """A digest of everything printed: an unchanged document is never rendered twice."""
        import hashlib

        return hashlib.sha256(repr(self).encode()).hexdigest()
