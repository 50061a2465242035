"""Text rules of Nghị định 30/2020/NĐ-CP (Phụ lục I) and Vietnamese number formats.

Every printed document and page that shows an official reference goes through these helpers,
so one rule lives in one place.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal


def document_number(number: int, symbol: str) -> str:
    """'05/KH-SKHĐT': numbers below 10 take a leading zero, and there are no spaces."""
    if number < 1:
        raise ValueError("Số văn bản phải từ 1 trở lên.")
    return f"{number:02d}/{symbol.replace(' ', '')}"


def number_line(number: int, symbol: str) -> str:
    """'Số: 05/KH-SKHĐT', the line under the agency's name."""
    return f"Số: {document_number(number, symbol)}"


def long_date(day: datetime.date) -> str:
    """'ngày 05 tháng 3 năm 2020': days below 10 and months 1–2 take a leading zero, other months do not."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def date_line(place_name: str, day: datetime.date) -> str:
    """'Vĩnh Phúc, ngày 15 tháng 01 năm 2019', the italic line beside the number."""
    return f"{place_name}, {long_date(day)}"


def text_date(day: datetime.date | None, *, year: int | None = None, blank: str = " … ") -> str:
    """A date as the text of a document writes it (a cited document, a range of figures, the line under
    an appendix's title): in full, by the header's rule, as Phụ lục I asks ("thời gian … phải được viết
    đầy đủ"; Phụ lục III: "Kèm theo văn bản số … ngày … tháng … năm …"): 'ngày 19 tháng 7 năm 2012',
    'ngày 05 tháng 01 năm 2020'. Without a date (a draft): 'ngày … tháng … năm 2026', `blank` in the
    gaps, the year if known."""
    if day is not None:
        return long_date(day)
    return f"ngày{blank}tháng{blank}năm {year}" if year else f"ngày{blank}tháng{blank}năm{blank}".rstrip()


def text_date_range(first: datetime.date, last: datetime.date) -> str:
    """'từ ngày 15 tháng 12 năm 2018 đến ngày 14 tháng 6 năm 2019' (see text_date)."""
    return f"từ {text_date(first)} đến {text_date(last)}"


def short_date(day: datetime.date) -> str:
    """'15/01/2019', the date as written when citing a document inside a text."""
    return day.strftime("%d/%m/%Y")


def _end_lines(lines: Sequence[str], between: str, last: str) -> list[str]:
    cleaned = [line.strip().rstrip(";.,").rstrip() for line in lines if line and line.strip()]
    return [line + (last if index == len(cleaned) - 1 else between) for index, line in enumerate(cleaned)]


def legal_basis_lines(citations: Sequence[str]) -> list[str]:
    """One 'Căn cứ …' line per basis; each ends with ';', the last with '.'."""
    lines = []
    for citation in citations:
        text = citation.strip()
        if text and not text.lower().startswith("căn cứ"):
            text = f"Căn cứ {text}"
        lines.append(text)
    return _end_lines(lines, ";", ".")


def recipient_lines(recipients: Iterable[str]) -> list[str]:
    """'- Name;' per recipient, the last ending with '.' (it is the 'Lưu: VT, …' line)."""
    names = [line.strip().lstrip("-–•").strip() for line in recipients]
    return [f"- {line}" for line in _end_lines(names, ";", ".")]


def upper(text: str) -> str:
    """Upper case that keeps Vietnamese letters (ư → Ư, đ → Đ); unlike CSS, safe for DOCX too."""
    return text.upper()


def vn_number(value, decimals: int = 0) -> str:
    """1234567 → '1.234.567'; 12.5 with two decimals → '12,50' (Vietnamese separators)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) or "0"
    return f"{sign}{text},{fraction}" if decimals else f"{sign}{text}"


def roman(number: int) -> str:
    """The Roman numeral of a section or appendix number (I, II, … XL), as NĐ 30 documents number them."""
    numerals = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ]
    text = ""
    for amount, letters in numerals:
        while number >= amount:
            text, number = text + letters, number - amount
    return text


ROMAN_NUMERAL = re.compile(r"^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
ROMAN_LETTERS = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(text: str) -> int | None:
    """The number a Roman numeral up to CCCXCIX writes ('IX' → 9), or None when `text` is none."""
    if not text or not ROMAN_NUMERAL.match(text):
        return None
    total = 0
    for letter, following in zip(text, text[1:] + " ", strict=True):
        value = ROMAN_LETTERS[letter]
        total += -value if following != " " and ROMAN_LETTERS[following] > value else value
    return total
