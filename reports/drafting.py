"""The draft texts of a periodic report: per reform area the results and shortcomings of its window,
drawn from the progress narratives, and the tasks of the next period."""

import datetime

from cchc import formatting, periods
from reports.models import PeriodicReport
from tasks.models import ProgressUpdate
from tasks.status import COMPLETED, Status

Period = PeriodicReport.Period
# The tasks each drafted list names at most (an area's results, its shortcomings, the tasks of the next
# period); the rest are counted in one closing line: every task stands in the annex.
DRAFT_LINES = 20


def next_period_range(report: PeriodicReport) -> tuple[datetime.date, datetime.date]:
    """The deadlines the "next period" section looks at: from the day after the window to the end of
    the month in which the next report's window ends (after quý I: 15/3 → 30/6, so that the tasks of
    quý II are in it; after 6 tháng: 15/6 → 30/9; after quý III: 15/9 → 31/12; after năm: 15/12 →
    31/3). A custom range looks as far ahead as it is long."""
    first = report.ends_on + datetime.timedelta(days=1)
    if report.period == Period.CUSTOM:
        return first, report.ends_on + (report.ends_on - report.starts_on) + datetime.timedelta(days=1)
    following = {
        Period.QUARTER_1: (Period.HALF_YEAR, report.year),
        Period.HALF_YEAR: (Period.QUARTER_3, report.year),
        Period.QUARTER_3: (Period.YEAR, report.year),
        Period.YEAR: (Period.QUARTER_1, report.year + 1),
    }[report.period]
    return first, periods.month_end(periods.reporting_window(*following)[1])


def _line(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", ";", ":")) else f"{text}."


def _list(lines: list[str], rest: str) -> str:
    """The first DRAFT_LINES of `lines`, then `rest` with the count of the others ({count}), one a line."""
    shown = lines[:DRAFT_LINES]
    if len(lines) > DRAFT_LINES:
        shown.append(rest.format(count=formatting.vn_number(len(lines) - DRAFT_LINES)))
    return "\n".join(shown)


def draft_texts(report: PeriodicReport, snapshot: dict) -> dict:
    """The draft texts of a report from the progress reports dated in its window (one query) and the
    snapshot: per area the latest narrative of each task reported in the window and the tasks overdue
    at its end; the tasks coming due in the next period; an opening sentence. A long list names its
    first DRAFT_LINES tasks and counts the others."""
    reports = (
        ProgressUpdate.objects.filter(
            task__plan=report.plan, reported_on__gte=report.starts_on, reported_on__lte=report.ends_on
        )
        .exclude(review=ProgressUpdate.Review.RETURNED)
        .order_by("reported_at", "pk")
        .values_list("task_id", "narrative")
    )
    latest = dict(reports)  # later reports overwrite earlier ones
    results: dict = {}
    shortcomings: dict = {}
    for row in snapshot["annex"]:
        if row["task_id"] in latest and row["status"] != Status.CANCELLED:
            results.setdefault(row["area_id"], []).append(
                f"- {_line(row['content']).rstrip('.')}: {_line(latest[row['task_id']])}"
            )
        if row["status"] == Status.OPEN_OVERDUE:
            cause = (row.get("delay_cause") or "").strip()  # a snapshot older than the causes has none
            shortcomings.setdefault(row["area_id"], []).append(
                f"- {_line(row['content']).rstrip('.')} ({row['lead']} chủ trì; thời hạn: {row['deadline']}): "
                f"chưa hoàn thành, quá hạn {formatting.vn_number(row['days_overdue'])} ngày"
                + (f"; nguyên nhân: {_line(cause)}" if cause else ".")
            )
    first, last = next_period_range(report)
    coming = [
        row
        for row in snapshot["annex"]
        if row["due_on"]
        and first.isoformat() <= row["due_on"] <= last.isoformat()
        and row["status"] not in (*COMPLETED, Status.CANCELLED)
    ]
    coming.sort(key=lambda row: row["due_on"])
    header = snapshot["header"]
    return {
        "introduction": (
            f"Thực hiện {header['plan']} về {header['plan_title'][:1].lower()}"
            f"{header['plan_title'][1:]}, {header['agency']} báo cáo kết quả thực hiện công tác cải cách "
            f"hành chính {report.period_label} (số liệu "
            f"{formatting.text_date_range(report.starts_on, report.ends_on)}) như sau:"
        ),
        "area_texts": [
            {
                "area_id": area["area_id"],
                "name": area["name"],
                "results": _list(
                    results.get(area["area_id"], []),
                    "- Ngoài ra, {count} nhiệm vụ khác có báo cáo kết quả trong kỳ (chi tiết tại Phụ lục).",
                ),
                "shortcomings": _list(
                    shortcomings.get(area["area_id"], []),
                    "- Ngoài ra, còn {count} nhiệm vụ khác chưa hoàn thành, quá hạn (chi tiết tại Phụ lục).",
                ),
            }
            for area in snapshot["areas"]
        ],
        "next_tasks": _list(
            [
                f"- {_line(row['content']).rstrip('.')} ({row['lead']} chủ trì; thời hạn: {row['deadline']})."
                for row in coming
            ],
            "- Ngoài ra, {count} nhiệm vụ khác đến hạn trong kỳ tới (chi tiết tại Phụ lục).",
        ),
    }
