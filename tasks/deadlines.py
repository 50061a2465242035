"""Deadlines as real plans write them, and the due date each one means.

"Quý II/2019" → 30/06/2019, "Tháng 6/2019" → 30/06/2019, "Trước 15/3/2019" → 15/03/2019,
"6 tháng đầu năm 2019" → 30/06/2019, "Năm 2019" → 31/12/2019, a plain date → that date;
"Thường xuyên" (ongoing) and "Hàng quý"/"Hàng tháng" (recurring) are due at the end of the plan's
year and are reported on every period's date. Text that matches none of these is an error, never a
silent default.
"""

import datetime
import re
from dataclasses import dataclass

from cchc import periods
from cchc.text import fold

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ACCEPTED_FORMS = (
    "Quý II/2019, Tháng 6/2019, Trước 15/3/2019, 15/3/2019, 6 tháng đầu năm 2019, "
    "Năm 2019, Thường xuyên, Hàng quý, Hàng tháng"
)


class DeadlineError(ValueError):
    """The text is not a deadline this module can read; the message is for the user."""


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
        """When a periodic task is reported: the cut-offs of the reporting periods for ongoing tasks
        (14/3, 14/6, 14/9, 14/12: Công văn 581/BNV-CCHC), quarter or month ends for recurring ones."""
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

    def next_report_date(self, today: datetime.date) -> datetime.date:
        upcoming = [day for day in self.report_dates() if day >= today]
        return upcoming[0] if upcoming else self.due_date  # None when the deadline is unset


YEAR = r"(?:/|-|\s+nam\s+|\s+)(\d{4})"
OPTIONAL_YEAR = rf"(?:{YEAR})?"
DATE = r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?"
BEFORE = r"(?:hoan thanh\s+)?(?:truoc|den|cham nhat|han|truoc ngay|den ngay|cham nhat ngay|trong thang)?\s*(?:ngay\s+)?"

PATTERNS = [
    (
        "quarter",
        re.compile(
            rf"^(?:trong\s+)?quy\s+(iv|iii|ii|i|[1-4])(?:\s*[-–,]\s*(?:quy\s+)?(iv|iii|ii|i|[1-4]))?{OPTIONAL_YEAR}$"
        ),
    ),
    (
        "month",
        re.compile(
            rf"^(?:trong\s+)?(?:thang|t)\s*(\d{{1,2}})(?:\s*[-–,]\s*(?:thang\s+)?(\d{{1,2}}))?{OPTIONAL_YEAR}$"
        ),
    ),
    ("half", re.compile(rf"^(?:trong\s+)?6\s+thang\s+(dau|cuoi)\s+nam{OPTIONAL_YEAR}$")),
    ("year", re.compile(r"^(?:trong\s+|ca\s+)?nam\s+(\d{4})$")),
    ("date", re.compile(rf"^{BEFORE}{DATE}$")),
    (
        "ongoing",
        re.compile(r"^(?:thuong xuyen|thuong xuyen trong nam|hang nam|ca nam|trong nam)(?:\s+\d{4})?$"),
    ),
    ("quarterly", re.compile(r"^(?:hang quy|dinh ky hang quy|theo quy)$")),
    ("monthly", re.compile(r"^(?:hang thang|dinh ky hang thang|theo thang)$")),
]


def _number(token: str) -> int:
    return ROMAN[token] if token in ROMAN else int(token)


def _year(token: str | None, default: int | None, text: str) -> int:
    if token:
        return int(token)
    if default is None:
        raise DeadlineError(f"“{text}” thiếu năm; ghi rõ năm, ví dụ {text}/2019.")
    return default


def parse_deadline(text: str, *, year: int | None = None) -> Deadline:
    """Read a deadline as written; `year` is the plan's year, used when the text gives none."""
    original = " ".join((text or "").split())
    if not original:
        raise DeadlineError("Nhập thời hạn, ví dụ Quý II/2019 hoặc 30/6/2019.")
    folded = fold(original).rstrip(".;")
    for kind, pattern in PATTERNS:
        match = pattern.match(folded)
        if match is None:
            continue
        try:
            return _build(kind, match, original, year)
        except ValueError as error:
            if isinstance(error, DeadlineError):
                raise
            raise DeadlineError(f"“{original}” không phải một ngày có thật.") from error
    raise DeadlineError(f"Không đọc được thời hạn “{original}”. Các cách ghi được hiểu: {ACCEPTED_FORMS}.")


def _build(kind: str, match: re.Match, original: str, year: int | None) -> Deadline:
    groups = match.groups()
    if kind == "quarter":
        first, last, given_year = groups
        quarter = _number(last or first)
        if not 1 <= _number(first) <= quarter <= 4:
            raise DeadlineError(f"“{original}”: quý phải từ I đến IV.")
        return Deadline(
            original, periods.quarter_end(datetime.date(_year(given_year, year, original), quarter * 3, 1))
        )
    if kind == "month":
        first, last, given_year = groups
        month = int(last or first)
        if not 1 <= int(first) <= month <= 12:
            raise DeadlineError(f"“{original}”: tháng phải từ 1 đến 12.")
        return Deadline(
            original, periods.month_end(datetime.date(_year(given_year, year, original), month, 1))
        )
    if kind == "half":
        half, given_year = groups
        resolved = _year(given_year, year, original)
        return Deadline(
            original, datetime.date(resolved, 6, 30) if half == "dau" else datetime.date(resolved, 12, 31)
        )
    if kind == "year":
        return Deadline(original, datetime.date(int(groups[0]), 12, 31))
    if kind == "date":
        day, month, given_year = groups
        if given_year and len(given_year) == 2:
            given_year = f"20{given_year}"
        return Deadline(original, datetime.date(_year(given_year, year, original), int(month), int(day)))
    periodic = {"ongoing": Deadline.ONGOING, "quarterly": Deadline.QUARTERLY, "monthly": Deadline.MONTHLY}[
        kind
    ]
    if year is None:
        raise DeadlineError(f"“{original}” cần năm của kế hoạch để tính hạn.")
    return Deadline(original, datetime.date(year, 12, 31), periodic)
