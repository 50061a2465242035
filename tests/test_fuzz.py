"""Fuzzing (Hypothesis) the two readers of what users type and upload.

The deadline parser: every phrase generated from the forms it documents ("Quý II/2019", "Tháng 3 -
tháng 5", "trước ngày 15/6/2019", "6 tháng đầu năm", "Thường xuyên", "Giai đoạn 2026–2030"…), written
in any case, with or without diacritics, spaced and dashed any way, gives the right date; any other text
gives a Deadline or a DeadlineError, never another exception.

The annex readers: random bytes, damaged and mutated .xlsx and .docx files, and workbooks of random cell
contents give an Annex or an AnnexError (a rubric: a ValidationError), never another exception.

Bounded: at most 200 examples a test, no deadline per example, no example database (nothing written
to the repository)."""

import calendar
import datetime
import io
import unicodedata

import openpyxl
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluations.spreadsheet import read_rubric
from tasks.deadlines import Deadline, DeadlineError, parse_deadline
from tasks.importing import AnnexError, read_annex
from tests.annexes import SKHDT_ROWS, build_docx, build_xlsx

D = datetime.date
BOUNDED = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FEW = settings(BOUNDED, max_examples=40)  # examples that build a whole workbook each
FEWER = settings(BOUNDED, max_examples=20)  # examples that build a whole Word file each (~0.15 s)

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
YEARS = st.integers(min_value=2000, max_value=2099)  # the years a deadline may name
PLAN_YEARS = st.integers(min_value=2000, max_value=2060)


# How people vary the same phrase -------------------------------------------------------------------


def _strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if unicodedata.category(char) != "Mn")


@st.composite
def written(draw, phrase: str) -> str:
    """`phrase` as someone might type it: its case, its diacritics, the kind of dash (written "~" in
    `phrase`) and the spaces around it, doubled spaces, a closing full stop or semicolon."""
    text = draw(st.sampled_from([phrase, phrase.upper(), phrase.lower(), phrase.capitalize()]))
    if draw(st.booleans()):
        text = _strip_diacritics(text)
    text = text.replace(" ~ ", draw(st.sampled_from(["-", " - ", "–", " – ", "—"])))
    text = text.replace(" ", draw(st.sampled_from([" ", "  "])))
    return text + draw(st.sampled_from(["", ".", ";", " "]))


def year_suffix(year: int) -> st.SearchStrategy[str]:
    return st.sampled_from([f"/{year}", f" năm {year}"])


def _month_end(year: int, month: int) -> datetime.date:
    return D(year, month, calendar.monthrange(year, month)[1])


@st.composite
def quarter_phrases(draw):
    """(text, due) of "Quý II/2019", "Trong quý I – II năm 2019", "Quý 1-2/2019"…"""
    year = draw(YEARS)
    first = draw(st.integers(1, 4))
    last = draw(st.integers(first, 4))
    name = draw(st.sampled_from([ROMAN, {n: str(n) for n in ROMAN}]))
    quarters = name[first] if first == last else f"{name[first]} ~ {name[last]}"
    lead = draw(
        st.sampled_from(["Quý", "Trong quý", "Hoàn thành trong quý", "Chậm nhất trong quý", "Đến hết quý"])
    )
    phrase = f"{lead} {quarters}{draw(year_suffix(year))}"
    return draw(written(phrase)), _month_end(year, last * 3)


@st.composite
def month_phrases(draw):
    """(text, due) of "Tháng 6/2019", "T6/2019", "Tháng 3 - tháng 5 năm 2019", "Cuối tháng 6/2019"…"""
    year = draw(YEARS)
    first = draw(st.integers(1, 12))
    last = draw(st.integers(first, 12))
    if first == last:
        months = draw(st.sampled_from([f"tháng {first}", f"T{first}"]))
    else:
        months = f"tháng {first} ~ tháng {last}"
    lead = draw(st.sampled_from(["", "Trong ", "Thực hiện trong ", "Cuối ", "Vào "]))
    phrase = f"{lead}{months}{draw(year_suffix(year))}"
    return draw(written(phrase)), _month_end(year, last)


@st.composite
def day_phrases(draw):
    """(text, due) of "15/3/2019", "Trước ngày 05.03.2019", "trước ngày 15 tháng 3 năm 2019"…"""
    due = draw(st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31)))
    lead = draw(
        st.sampled_from(["", "Trước ", "Trước ngày ", "Chậm nhất ngày ", "Hoàn thành trước ", "Ngày "])
    )
    day = draw(st.sampled_from([str(due.day), f"{due.day:02d}"]))
    month = draw(st.sampled_from([str(due.month), f"{due.month:02d}"]))
    separator = draw(st.sampled_from(["/", ".", " tháng "]))
    if separator == " tháng ":
        body = f"{day} tháng {month} năm {due.year}"
    else:
        body = separator.join((day, month, str(due.year)))
    return draw(written(lead + body)), due


@st.composite
def year_phrases(draw):
    """(text, due) of "Năm 2019", "Trong năm 2019", "Đến năm 2030", "2019"."""
    year = draw(YEARS)
    phrase = draw(st.sampled_from([f"Năm {year}", f"Trong năm {year}", f"Đến năm {year}", f"{year}"]))
    return draw(written(phrase)), D(year, 12, 31)


@st.composite
def half_year_phrases(draw):
    """(text, due) of "6 tháng đầu năm 2019" (30/6) and "6 tháng cuối năm 2019" (31/12)."""
    year = draw(YEARS)
    half = draw(st.sampled_from(["đầu", "cuối"]))
    due = D(year, 6, 30) if half == "đầu" else D(year, 12, 31)
    return draw(written(f"6 tháng {half} năm {year}")), due


@st.composite
def span_phrases(draw):
    """(text, due, start) of "Giai đoạn 2026–2030", "Năm 2025 - 2030", "2021-2025"."""
    first = draw(st.integers(2000, 2098))
    last = draw(st.integers(first + 1, 2099))
    phrase = draw(
        st.sampled_from([f"Giai đoạn {first} ~ {last}", f"Năm {first} ~ {last}", f"{first} ~ {last}"])
    )
    return draw(written(phrase)), D(last, 12, 31), D(first, 1, 1)


@st.composite
def plan_year_phrases(draw):
    """(text, plan year, due, kind) of a phrase without a year: "Quý III", "Tháng 5", "Thường xuyên"…"""
    year = draw(PLAN_YEARS)
    form = draw(st.sampled_from(["quarter", "month", "recurring"]))
    if form == "quarter":
        quarter = draw(st.integers(1, 4))
        return draw(written(f"Quý {ROMAN[quarter]}")), year, _month_end(year, quarter * 3), Deadline.ONCE
    if form == "month":
        month = draw(st.integers(1, 12))
        return draw(written(f"Tháng {month}")), year, _month_end(year, month), Deadline.ONCE
    phrase, kind = draw(
        st.sampled_from(
            [
                ("Thường xuyên", Deadline.ONGOING),
                ("Hằng năm", Deadline.YEARLY),
                ("Hàng quý", Deadline.QUARTERLY),
                ("Định kỳ hằng quý", Deadline.QUARTERLY),
                ("Hằng tháng", Deadline.MONTHLY),
                ("Thường xuyên, kịp thời", Deadline.ONGOING),
            ]
        )
    )
    return draw(written(phrase)), year, D(year, 12, 31), kind


@given(st.one_of(quarter_phrases(), month_phrases(), day_phrases(), year_phrases(), half_year_phrases()))
@BOUNDED
def test_every_generated_point_in_time_is_due_on_its_date(case):
    text, due = case
    deadline = parse_deadline(text, year=2019)
    assert (deadline.due_date, deadline.kind, deadline.start) == (due, Deadline.ONCE, None), text
    assert deadline.text == " ".join(text.split())


@given(span_phrases())
@BOUNDED
def test_every_generated_span_of_years_runs_from_its_first_year_to_the_end_of_its_last(case):
    text, due, start = case
    deadline = parse_deadline(text, year=2026)
    assert (deadline.due_date, deadline.kind, deadline.start) == (due, Deadline.ONCE, start), text


@given(plan_year_phrases())
@BOUNDED
def test_every_generated_phrase_without_a_year_is_due_in_the_plans_year(case):
    text, year, due, kind = case
    deadline = parse_deadline(text, year=year)
    assert (deadline.due_date, deadline.kind) == (due, kind), text


WORDS = [
    "quý",
    "tháng",
    "năm",
    "ngày",
    "trước",
    "từ",
    "đến",
    "hết",
    "trong",
    "giai đoạn",
    "thường xuyên",
    "hằng",
    "hàng",
    "mỗi",
    "định kỳ",
    "6",
    "đầu",
    "cuối",
    "I",
    "II",
    "IV",
    "V",
    "0",
    "13",
    "29",
    "31",
    "2",
    "2019",
    "2030",
    "1899",
    "9999",
    "/",
    "-",
    "–",
    ",",
    ";",
    ".",
    "(",
    ")",
    ":",
    "và",
    "kịp thời",
    "sau khi",
    "theo",
    "T",
    "bắt đầu",
    "triển khai",
    "các năm tiếp theo",
    "trở đi",
    "ca",
    "chậm nhất",
]


@given(st.text(max_size=80), st.one_of(st.none(), st.integers(min_value=1, max_value=9999)))
@BOUNDED
def test_arbitrary_text_is_a_deadline_or_a_deadline_error(text, year):
    _parse_or_refuse(text, year)


@given(st.lists(st.sampled_from(WORDS), max_size=10).map(" ".join), st.one_of(st.none(), PLAN_YEARS))
@BOUNDED
def test_any_string_of_deadline_words_is_a_deadline_or_a_deadline_error(text, year):
    _parse_or_refuse(text, year)


def _parse_or_refuse(text: str, year: int | None) -> None:
    try:
        deadline = parse_deadline(text, year=year)
    except DeadlineError as error:
        assert str(error)  # a message for the user
        return
    assert isinstance(deadline, Deadline)
    assert deadline.due_date is None or isinstance(deadline.due_date, datetime.date)


# The annex readers ---------------------------------------------------------------------------------

GOOD_XLSX = build_xlsx(SKHDT_ROWS)
GOOD_DOCX = build_docx(SKHDT_ROWS)


def _read_or_refuse(name: str, content: bytes) -> None:
    try:
        annex = read_annex(SimpleUploadedFile(name, content))
    except AnnexError as error:
        assert str(error)
        return
    assert annex.tasks


@st.composite
def mutated(draw, content: bytes) -> bytes:
    """`content` with a few bytes changed, a slice cut out or repeated, or cut short."""
    data = bytearray(content)
    for _ in range(draw(st.integers(1, 8))):
        action = draw(st.sampled_from(["flip", "cut", "repeat", "truncate"]))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position : position + draw(st.integers(1, 64))]
        elif action == "repeat":
            data[position:position] = data[position : position + draw(st.integers(1, 64))]
        else:
            del data[max(position, 4) :]
    return bytes(data)


@given(st.binary(max_size=4096), st.sampled_from(["phu-luc.xlsx", "phu-luc.docx", "phu-luc"]))
@BOUNDED
def test_random_bytes_are_an_annex_error(content, name):
    _read_or_refuse(name, content)


@given(st.binary(max_size=4096))
@BOUNDED
def test_random_bytes_after_a_zip_signature_are_an_annex_error(tail):
    _read_or_refuse("phu-luc.xlsx", b"PK\x03\x04" + tail)


@given(mutated(GOOD_XLSX))
@BOUNDED
def test_a_damaged_workbook_is_an_annex_or_an_annex_error(content):
    _read_or_refuse("phu-luc.xlsx", content)


@given(mutated(GOOD_DOCX))
@BOUNDED
def test_a_damaged_word_file_is_an_annex_or_an_annex_error(content):
    _read_or_refuse("phu-luc.docx", content)


CELLS = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "I", "II.1", "1", "=1+1", "-"]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31)),
)
XML_SAFE = {chr(code) for code in range(32)} - {"\t", "\n", "\r"}


def _workbook(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([_xml_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xml_safe(value):
    """Cell values openpyxl can write (it refuses control characters in text)."""
    if isinstance(value, str):
        return "".join(char for char in value if char not in XML_SAFE) or None
    return value


@given(
    st.lists(st.lists(CELLS, max_size=8), max_size=12),
    st.booleans(),
)
@FEW
def test_a_workbook_of_random_cells_is_an_annex_or_an_annex_error(rows, with_header):
    if with_header:
        rows = [["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn"], *rows]
    _read_or_refuse("phu-luc.xlsx", _workbook(rows))


@given(st.lists(st.lists(st.text(max_size=30), min_size=6, max_size=6), min_size=1, max_size=8))
@FEWER
def test_a_word_table_of_random_text_is_an_annex_or_an_annex_error(rows):
    rows = [tuple("".join(char for char in text if char not in XML_SAFE) for text in row) for row in rows]
    _read_or_refuse("phu-luc.docx", build_docx(rows))


@given(st.one_of(mutated(GOOD_XLSX), st.binary(max_size=2048)))
@BOUNDED
def test_a_damaged_rubric_workbook_is_a_validation_error(content):
    try:
        read_rubric(SimpleUploadedFile("bo-tieu-chi.xlsx", content))
    except ValidationError as error:
        assert error.messages
