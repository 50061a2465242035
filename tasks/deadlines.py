"""Deadlines as real plans write them, and the due date each one means.

A point in time is due at its end: "Quý II/2019" and "Quý I, II/2019" → 30/06/2019, "Tháng 6/2019" and
"Tháng 6 - tháng 9/2019" → the end of the last month named, "6 tháng đầu năm 2019" → 30/06/2019,
"Năm 2019", "Đến năm 2019", "Trong năm 2019" or "2019" → 31/12/2019, "Trước 15/3/2019", "15/3/2019" or
"trước ngày 15 tháng 3 năm 2019" → that day. A point without a year is in the plan's year.

A span of years ("Năm 2025-2030", "Giai đoạn 2026–2030", "Từ năm 2025 đến năm 2030") starts on 1/1 of
its first year and is due on 31/12 of its last; a work begun in a year and carried on ("Từ năm 2026",
"Bắt đầu triển khai từ năm 2026", "Năm 2026 và các năm tiếp theo") is ongoing from 1/1 of that year and
due at the end of the plan's year (never before the end of the year it starts).

Recurring work is due at the end of the plan's year (or of the year written with it: "Thường xuyên
2019") and reported on every period's date: "Thường xuyên" (ongoing), "Hằng quý", "Hằng tháng";
"Hằng năm" once a year, by 31/12 or by the day or period written with it ("trước ngày 15/11 hằng năm",
"Tháng 12 hằng năm"). A recurring word with vague ones ("Thường xuyên, kịp thời") is read by its
recurring part; two different recurrences are refused, but "Thường xuyên, hằng năm" is ongoing.

Case, diacritics, spaces, the kind of dash and a closing "." or ";" do not matter. Text that says no date
("Kịp thời", "Ngay", "Sau khi … ban hành", "Theo tiến độ …"), or that could mean two dates ("Trước
tháng 6/2019": the end of May or of June?), is an error for a person to correct, never a silent default.
"""

import datetime
import re
from dataclasses import dataclass

from cchc import periods
from cchc.text import fold

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ACCEPTED_FORMS = (
    "Quý II/2019, Quý I - II/2019, Tháng 6/2019, Tháng 6 - tháng 9/2019, Trước 15/3/2019, 15/3/2019, "
    "trước ngày 15 tháng 3 năm 2019, 6 tháng đầu năm 2019, Năm 2019, Đến năm 2030, Năm 2025 - 2030, "
    "Giai đoạn 2026 - 2030, Từ năm 2026, Thường xuyên, Hằng năm, trước ngày 15/11 hằng năm, Hằng quý, "
    "Hằng tháng"
)


class DeadlineError(ValueError):
    """The text is not a deadline this module can read; the message is for the user."""


class DeadlineOutOfRange(DeadlineError):
    """The text reads as a date, but in a year no plan sets (outside FIRST_YEAR..LAST_YEAR)."""


# The years a deadline may fall in: a plan of 2019 may say "Giai đoạn 2016-2020" or "Đến năm 2045", but a
# year outside these is a slip (a plan dated 9999, "Trước 15/3" in a plan of year 1), and the calendar
# arithmetic on it (the day after, the reporting cut-offs) would leave Python's dates.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Deadline:
    ONCE = "once"
    ONGOING = "ongoing"
    YEARLY = "yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    UNSET = "unset"  # the plan's words name no date ("kịp thời", an empty cell): no due date yet

    text: str
    due_date: datetime.date | None
    kind: str = ONCE
    start: datetime.date | None = None  # "Giai đoạn 2026–2030", "Bắt đầu triển khai từ năm 2026"

    @property
    def is_periodic(self) -> bool:
        return self.kind not in (self.ONCE, self.UNSET)

    @classmethod
    def unset(cls, text: str = "") -> "Deadline":
        return cls(" ".join((text or "").split()), None, cls.UNSET)

    def report_dates(self) -> list[datetime.date]:
        """When a task is reported: the cut-offs of the reporting periods for ongoing tasks (14/3, 14/6,
        14/9, 14/12: Công văn 581/BNV-CCHC), quarter or month ends for quarterly or monthly ones, the due
        date for yearly and one-off ones, none while the deadline is unset."""
        if self.due_date is None:
            return []
        year = self.due_date.year
        if self.kind == self.ONGOING:
            return [cut_off.day for cut_off in periods.cut_offs(year)]
        if self.kind == self.QUARTERLY:
            return [periods.quarter_end(datetime.date(year, month, 1)) for month in (3, 6, 9, 12)]
        if self.kind == self.MONTHLY:
            return [periods.month_end(datetime.date(year, month, 1)) for month in range(1, 13)]
        return [self.due_date]

    def next_report_date(self, today: datetime.date) -> datetime.date | None:
        upcoming = [day for day in self.report_dates() if day >= today]
        return upcoming[0] if upcoming else self.due_date  # None when the deadline is unset


# The grammar, on the folded text (lower case, no diacritics, one kind of dash, no spaces around
# "-", "/" and ",") ---------------------------------------------------------------------------------

DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―−", "-") | {"(": ",", ")": ",", ":": " "})


def group(name: str, pattern: str = "") -> str:
    """The regex group `name` around `pattern`; built here because `(?P<name>` written out in a
    string reads as a tag to the check that keeps markup out of Python (tests/test_no_markup_in_python)."""
    return f"(?P<{name}>{pattern})"


FOUR_DIGIT_YEAR = r"(?:19|20)\d{2}"
YEAR = group("year", FOUR_DIGIT_YEAR)
OPTIONAL_YEAR = rf"(?:(?:/|-|\s+nam\s+|\s+){YEAR})?"
LEAD = r"(?:(?:hoan thanh|thuc hien|trien khai)\s+)?"
# "Trước" a month, quarter or year is left out on purpose: the end of that period or of the one before?
BY_PERIOD = r"(?:(?:trong|vao|den|den het|den cuoi|cuoi|cham nhat|cham nhat trong|cham nhat vao)\s+)?"
BY_DAY = r"(?:(?:truoc|den|den het|cham nhat|han|han chot|vao|trong)\s+)?(?:ngay\s+)?"
# "Từ quý I đến quý II/2019": only with a range, "Từ quý I" alone has no end
FROM = group("since", r"tu\s+") + "?"
QUARTER = r"(?:iv|iii|ii|i|[1-4])"
LIST_SEPARATOR = r"(?:-|,|\s+va\s+|\s+den\s+)"
QUARTERS = group("list", rf"{QUARTER}(?:{LIST_SEPARATOR}(?:quy\s*)?{QUARTER})*")
MONTHS = group("list", rf"\d{{1,2}}(?:{LIST_SEPARATOR}(?:thang\s*)?\d{{1,2}})*")
ONE_MONTH = group("since") + group("list", r"\d{1,2}")  # "6/2026": one month, never a range
HALF = group("half", "dau|cuoi")
DAY, MONTH, SEPARATOR = group("day", r"\d{1,2}"), group("month", r"\d{1,2}"), group("sep", "[/.-]")
SHORT_YEAR = group("short", rf"\d{{2}}|{FOUR_DIGIT_YEAR}")
YEARLY_WORDS = r"(?:dinh ky\s+)?(?:hang|moi)\s+nam"

POINTS = [
    ("quarter", re.compile(rf"{LEAD}{BY_PERIOD}{FROM}quy\s*{QUARTERS}{OPTIONAL_YEAR}")),
    ("month", re.compile(rf"{LEAD}{BY_PERIOD}{FROM}(?:thang|t)\s*{MONTHS}{OPTIONAL_YEAR}")),
    ("month", re.compile(rf"{LEAD}{BY_PERIOD}{ONE_MONTH}/{YEAR}")),
    ("half", re.compile(rf"{LEAD}{BY_PERIOD}6\s+thang\s+{HALF}\s+nam{OPTIONAL_YEAR}")),
    ("year", re.compile(rf"{LEAD}{BY_PERIOD}(?:ca\s+)?(?:nam\s+)?{YEAR}")),
    ("year", re.compile(rf"{LEAD}(?:(?:den|vao|trong)\s+)?cuoi\s+nam{group('year')}")),  # of the plan's year
    # one separator throughout: "3-4/2019" is more likely months 3 to 4 than 3 April
    ("day", re.compile(rf"{LEAD}{BY_DAY}{DAY}{SEPARATOR}{MONTH}(?:(?P=sep){SHORT_YEAR}|\s+nam\s+{YEAR})?")),
    ("day", re.compile(rf"{LEAD}{BY_DAY}{DAY}\s+thang\s+{MONTH}(?:\s+nam\s+{YEAR})?{group('short')}")),
]
YEAR_RANGE = re.compile(
    rf"{LEAD}(?:(?:trong|ca|tu)\s+)?(?:(?:giai doan|thoi ky|cac nam|nam)\s+)?{group('first', FOUR_DIGIT_YEAR)}"
    rf"(?:-|\s+den\s+(?:het\s+)?)(?:nam\s+)?{group('last', FOUR_DIGIT_YEAR)}"
)
ONWARDS = r"(?:tro di|tro ve sau|(?:va\s+)?(?:cac|nhung)\s+nam\s+(?:tiep theo|sau))"
SINCE_YEAR = [
    re.compile(
        rf"(?:(?:bat dau\s+)?(?:trien khai|thuc hien|ap dung)\s+)?(?:bat dau\s+)?tu\s+(?:nam\s+)?{YEAR}(?:(?:\s+|,){ONWARDS})?"
    ),
    re.compile(rf"(?:nam\s+)?{YEAR}(?:,|\s+)va\s+(?:cac|nhung)\s+nam\s+(?:tiep theo|sau)"),
]
YEARLY_AROUND = [
    re.compile(rf"{group('point', '.+?')}(?:,|\s+){YEARLY_WORDS}"),  # "trước ngày 15/11 hằng năm"
    re.compile(rf"{YEARLY_WORDS}(?:,|\s+){group('point', '.+')}"),  # "Hằng năm, trước ngày 15/11"
]
RECURRING = {
    Deadline.ONGOING: (
        "thuong xuyen",
        "thuong xuyen trong nam",
        "thuong xuyen hang nam",
        "trong nam",
        "ca nam",
    ),
    Deadline.YEARLY: ("hang nam", "moi nam", "dinh ky hang nam", "dinh ky moi nam"),
    Deadline.QUARTERLY: (
        "hang quy",
        "moi quy",
        "theo quy",
        "dinh ky quy",
        "dinh ky hang quy",
        "dinh ky moi quy",
    ),
    Deadline.MONTHLY: (
        "hang thang",
        "moi thang",
        "theo thang",
        "dinh ky thang",
        "dinh ky hang thang",
        "dinh ky moi thang",
    ),
}
KIND_OF_PHRASE = {phrase: kind for kind, phrases in RECURRING.items() for phrase in phrases}
RECURRING_PART = re.compile(
    group("phrase", "|".join(sorted(KIND_OF_PHRASE, key=len, reverse=True)))
    + rf"(?:\s+(?:trong\s+)?(?:nam\s+)?{YEAR})?"
)
VAGUE = ("kip thoi", "lien tuc", "dot xuat", "khi co yeu cau", "theo yeu cau")  # said alongside a recurrence
PARTS = re.compile(rf"[,;]|-|\s+va\s+|\s+(?=(?:{'|'.join(VAGUE)})$)")
NO_DATE = re.compile(
    rf"(?:{'|'.join(VAGUE)}|ngay|ngay lap tuc|som|som nhat co the|cang som cang tot|khan truong)"
)
DEPENDS = re.compile(r"(?:ngay\s+)?sau\s+khi|khi\s|theo\s+(?:tien do|ke hoach|lo trinh|chi dao|huong dan)")
BEFORE_PERIOD = re.compile(r"(?:hoan thanh\s+)?truoc\s+(?:nam|quy|thang|6 thang|giai doan)\b")
OTHER_PERIOD = re.compile(
    r"dinh ky(?:\s+(?:6 thang|nua nam|hang tuan|hang ngay))?|6 thang (?:mot|1) lan|(?:hang|moi) (?:tuan|ngay)"
)


def parse_deadline(text: str, *, year: int | None = None) -> Deadline:
    """Read a deadline as written; `year` is the plan's year, used when the text gives none."""
    original = " ".join((text or "").split())
    if not original:
        raise DeadlineError("Nhập thời hạn, ví dụ Quý II/2019 hoặc 30/6/2019.")
    folded = _normalized(original)
    try:
        deadline = (
            _year_range(folded, original)
            or _since_year(folded, original, year)
            or _yearly_on(folded, original, year)
            or _once(folded, original, year)
            or _recurring(folded, original, year)
        )
    except DeadlineError:
        raise
    except ValueError as error:  # datetime.date refused the day, e.g. 31/02
        raise DeadlineError(f"“{original}” không phải một ngày có thật.") from error
    if deadline is None:
        raise DeadlineError(
            f"Không đọc được thời hạn “{original}”{_why_unread(folded)}. Các cách ghi được hiểu: {ACCEPTED_FORMS}."
        )
    for day in (deadline.start, deadline.due_date):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise DeadlineOutOfRange(
                f"Thời hạn “{original}” rơi vào năm {day.year}: chỉ nhận thời hạn từ năm {FIRST_YEAR} "
                f"đến năm {LAST_YEAR}. Kiểm tra lại năm của thời hạn và của kế hoạch."
            )
    return deadline


def _normalized(original: str) -> str:
    folded = fold(original.translate(DASHES))
    folded = re.sub(r"\s*([-/,;])\s*", r"\1", folded)
    folded = re.sub(r"[,;]{2,}", ",", folded)
    return folded.strip(" .,;")


def _why_unread(folded: str) -> str:
    """Why a text that reads as no deadline is refused, when it can be told."""
    parts = [part.strip() for part in PARTS.split(folded) if part.strip()]
    if parts and all(NO_DATE.fullmatch(part) for part in parts):
        return ": không nêu thời điểm hoàn thành; ghi ngày, tháng, quý hoặc năm phải xong"
    if DEPENDS.match(folded):
        return (
            ": thời hạn phụ thuộc vào việc khác, không phải một ngày; ghi ngày, tháng, quý hoặc năm phải xong"
        )
    if BEFORE_PERIOD.match(folded):
        return ": “trước” một tháng, quý hay năm chưa rõ là hạn cuối kỳ đó hay kỳ liền trước; ghi rõ ngày, ví dụ 31/5/2019"
    if OTHER_PERIOD.fullmatch(folded):
        return (
            ": chỉ theo dõi được nhiệm vụ thường xuyên, hằng tháng, hằng quý hoặc hằng năm; ghi một trong các"
            " kỳ đó hoặc một hạn cụ thể, ví dụ 30/6/2019"
        )
    return ""


def _year(token: str | None, default: int | None, text: str) -> int:
    if token:
        return int(token)
    if default is None:
        raise DeadlineError(f"“{text}” thiếu năm; ghi rõ năm, ví dụ {text}/2019.")
    return default


def _plan_year(year: int | None, original: str) -> int:
    if year is None:
        raise DeadlineError(f"“{original}” cần năm của kế hoạch để tính hạn.")
    return year


def _find_point(folded: str) -> tuple[str, re.Match] | None:
    for kind, pattern in POINTS:
        match = pattern.fullmatch(folded)
        if match is not None:
            return kind, match
    return None


def _last_in_order(tokens: list[int], high: int, original: str, unit: str, names: str, example: str) -> int:
    """The last of `tokens`, which must lie in 1..high and come in order ("Quý I - II", never "II - I")."""
    if not all(1 <= token <= high for token in tokens):
        raise DeadlineError(f"“{original}”: {unit} phải từ {names}.")
    if tokens != sorted(tokens):
        raise DeadlineError(f"“{original}”: ghi các {unit} từ trước đến sau, ví dụ {example}.")
    return tokens[-1]


def _list(match: re.Match, token: str) -> list[str] | None:
    """The quarters or months named, or None for "Từ quý I" alone, which has no end."""
    tokens = re.findall(token, re.sub(r"quy|thang", " ", match["list"]))
    if match["since"] and len(tokens) < 2:
        return None
    return tokens


def _point_date(
    kind: str, match: re.Match, original: str, year: int | None
) -> tuple[datetime.date, bool] | None:
    """The due date of a point in time, and whether the text gave its year."""
    given = match["year"]
    if kind == "quarter":
        tokens = _list(match, r"iv|iii|ii|i|[1-4]")
        if tokens is None:
            return None
        quarter = _last_in_order(
            [ROMAN.get(token) or int(token) for token in tokens],
            4,
            original,
            "quý",
            "I đến IV",
            "Quý I - II/2019",
        )
        return periods.quarter_end(datetime.date(_year(given, year, original), quarter * 3, 1)), bool(given)
    if kind == "month":
        tokens = _list(match, r"\d+")
        if tokens is None:
            return None
        month = _last_in_order(
            [int(token) for token in tokens], 12, original, "tháng", "1 đến 12", "Tháng 6 - tháng 9/2019"
        )
        return periods.month_end(datetime.date(_year(given, year, original), month, 1)), bool(given)
    if kind == "half":
        resolved = _year(given, year, original)
        end = datetime.date(resolved, 6, 30) if match["half"] == "dau" else datetime.date(resolved, 12, 31)
        return end, bool(given)
    if kind == "year":
        return datetime.date(_year(given, year, original), 12, 31), bool(given)
    given = given or (f"20{match['short']}" if len(match["short"] or "") == 2 else match["short"])
    return datetime.date(_year(given, year, original), int(match["month"]), int(match["day"])), bool(given)


def _once(folded: str, original: str, year: int | None) -> Deadline | None:
    found = _find_point(folded)
    point = found and _point_date(*found, original, year)
    return Deadline(original, point[0]) if point else None


def _year_range(folded: str, original: str) -> Deadline | None:
    match = YEAR_RANGE.fullmatch(folded)
    if match is None:
        return None
    first, last = int(match["first"]), int(match["last"])
    if last <= first:
        raise DeadlineError(f"“{original}”: năm kết thúc phải sau năm bắt đầu, ví dụ Giai đoạn 2026 - 2030.")
    return Deadline(original, datetime.date(last, 12, 31), Deadline.ONCE, datetime.date(first, 1, 1))


def _since_year(folded: str, original: str, year: int | None) -> Deadline | None:
    match = next((found for pattern in SINCE_YEAR if (found := pattern.fullmatch(folded))), None)
    if match is None:
        return None
    first = int(match["year"])
    due = datetime.date(max(_plan_year(year, original), first), 12, 31)
    return Deadline(original, due, Deadline.ONGOING, datetime.date(first, 1, 1))


def _yearly_on(folded: str, original: str, year: int | None) -> Deadline | None:
    """'trước ngày 15/11 hằng năm', 'Tháng 12 hằng năm': once a year, by that day of the plan's year."""
    for pattern in YEARLY_AROUND:
        match = pattern.fullmatch(folded)
        found = match and _find_point(match["point"])
        if not found:
            continue
        point = _point_date(*found, original, _plan_year(year, original))
        if point and point[1]:
            raise DeadlineError(f"“{original}”: “hằng năm” đi với một ngày hay một kỳ không ghi năm.")
        if point:
            return Deadline(original, point[0], Deadline.YEARLY)
    return None


def _recurring(folded: str, original: str, year: int | None) -> Deadline | None:
    """'Thường xuyên', 'Hằng quý', 'định kỳ hằng năm', and one of them with vague words ('Thường xuyên,
    kịp thời'): due at the end of the plan's year, or of the year written with it."""
    kinds, years = set(), set()
    for part in (part.strip() for part in PARTS.split(folded)):
        if not part or part in VAGUE:
            continue
        match = RECURRING_PART.fullmatch(part)
        if match is None or (match["year"] and match["phrase"] in ("trong nam", "ca nam")):
            return None
        kinds.add(KIND_OF_PHRASE[match["phrase"]])
        if match["year"]:
            years.add(int(match["year"]))
    if kinds == {Deadline.ONGOING, Deadline.YEARLY}:  # "Thường xuyên, hằng năm": ongoing, every year
        kinds = {Deadline.ONGOING}
    if not kinds:
        return None
    if len(kinds) > 1:
        raise DeadlineError(f"“{original}” ghi nhiều kỳ định kỳ khác nhau; chọn một, ví dụ Hằng quý.")
    if len(years) > 1:
        raise DeadlineError(f"“{original}” ghi nhiều năm khác nhau.")
    due_year = years.pop() if years else _plan_year(year, original)
    return Deadline(original, datetime.date(due_year, 12, 31), kinds.pop())
