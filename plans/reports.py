"""The periodic CCHC report (Báo cáo kết quả thực hiện công tác CCHC): its data windows, its draft
texts, the snapshot of its figures and the printed document.

The windows are those of Bộ Nội vụ (Công văn 581/BNV-CCHC, DOMAIN.md §5): quý I = 15/12 of the year
before → 14/3; 6 tháng = 15/12 → 14/6; quý III = 15/6 → 14/9; năm = 15/12 → 14/12.

A report prints from what it stores, never from the live tasks: the snapshot (figures, figures by
area, annex rows, the agency's header) is taken when the report is drafted and refreshed only on the
clerk's request while it is a draft; the texts are the clerk's edited drafts.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cchc import formatting
from cchc.printing.document import (
    BLANK,
    Appendix,
    Column,
    GroupRow,
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
)
from cchc.templatetags.nd30 import roman
from plans import reference
from plans.documents import parent_body, signature
from plans.models import Plan, Report
from tasks.dashboard import Figures, summary
from tasks.models import ProgressReport, Task
from tasks.status import COMPLETED, Status, days_overdue, deadline_in_force, end_of_day, with_status

Period = Report.Period
SNAPSHOT_VERSION = 1
# The counts a snapshot keeps for each set of figures: the keys of tasks.dashboard.Figures.from_row.
FIGURE_KEYS = ("total", "due", "due_soon", *(status.value for status in Status))


# Windows ------------------------------------------------------------------------------------------


def period_window(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the data of a standard report of `year` (not for a custom range)."""
    starts = {
        Period.QUARTER_1: datetime.date(year - 1, 12, 15),
        Period.HALF_YEAR: datetime.date(year - 1, 12, 15),
        Period.QUARTER_3: datetime.date(year, 6, 15),
        Period.YEAR: datetime.date(year - 1, 12, 15),
    }
    ends = {
        Period.QUARTER_1: datetime.date(year, 3, 14),
        Period.HALF_YEAR: datetime.date(year, 6, 14),
        Period.QUARTER_3: datetime.date(year, 9, 14),
        Period.YEAR: datetime.date(year, 12, 14),
    }
    if kind not in ends:
        raise ValueError(f"{kind!r} has no standard window")
    return starts[kind], ends[kind]


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_period_range(report: Report) -> tuple[datetime.date, datetime.date]:
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
    return first, _month_end(period_window(*following)[1])


# Snapshot -----------------------------------------------------------------------------------------


def _counts(figures: Figures) -> dict:
    counts = {key: getattr(figures, key, 0) for key in ("total", "due", "due_soon")}
    counts.update({status.value: figures.count(status.value) for status in Status})
    counts["days_late"] = figures.days_late.days if figures.days_late is not None else None
    return counts


def _figures(counts: dict, **extra) -> Figures:
    row = {key: counts.get(key, 0) for key in FIGURE_KEYS}
    if counts.get("days_late") is not None:
        row["days_late"] = datetime.timedelta(days=counts["days_late"])
    return Figures.from_row(row, **extra)


def _annex_rows(plan: Plan, as_of: datetime.date) -> list[dict]:
    """Every task of the plan with its status, deadline and latest result on `as_of`, in one query."""
    cutoff = end_of_day(as_of)
    latest = (
        ProgressReport.objects.filter(task=OuterRef("pk"), reported_at__lt=cutoff)
        .exclude(review=ProgressReport.Review.RETURNED)
        .order_by("-reported_at", "-pk")
    )
    deadline_text = deadline_in_force(cutoff, "deadline_text")
    rows = (
        with_status(Task.objects.filter(plan=plan), as_of)
        .annotate(
            deadline_then=Coalesce(Subquery(deadline_text), F("deadline_text")),
            last_result=Subquery(latest.values("result")[:1]),
            last_narrative=Subquery(latest.values("narrative")[:1]),
            last_percent=Subquery(latest.values("percent")[:1]),
        )
        .values(
            "pk",
            "number",
            "content",
            "area_id",
            "lead_department__name",
            "deadline_then",
            "due_on",
            "status",
            "last_result",
            "last_narrative",
            "last_percent",
        )
        .order_by("area__position", "sort_key")
    )
    annex = []
    for row in rows:
        status = Status(row["status"])
        result = (row["last_result"] or "").strip() or (row["last_narrative"] or "").strip()
        if (
            result
            and status not in COMPLETED
            and status != Status.CANCELLED
            and row["last_percent"] is not None
        ):
            result = f"Đạt {row['last_percent']}%: {result}"
        annex.append(
            {
                "task_id": row["pk"],
                "area_id": row["area_id"],
                "number": row["number"],
                "content": row["content"],
                "lead": row["lead_department__name"] or "",
                "deadline": row["deadline_then"] or "",
                "due_on": row["due_on"].isoformat() if row["due_on"] else None,
                "status": status.value,
                "status_label": status.label,
                "days_overdue": days_overdue(row["due_on"], as_of) if status == Status.OPEN_OVERDUE else 0,
                "result": result,
            }
        )
    return annex


def build_snapshot(report: Report) -> dict:
    """The figures, the figures by area and the annex rows of the report's plan as of the window's
    end (or today, while the window is still running), and the header as it stands today: three queries for the tasks and one for the areas,
    whatever the number of tasks."""
    plan, agency = report.plan, report.agency
    # a report drafted before its window ends states the figures of today, not a guess of the end
    as_of = min(report.ends_on, timezone.localdate())
    figures = summary(Task.objects.filter(plan=plan), as_of)
    by_area = {row.key: row for row in figures.areas}
    areas = []
    for area in reference.areas_of(plan.area_set_id):
        row = by_area.get(area.pk)
        areas.append(
            {
                "area_id": area.pk,
                "name": area.name,
                "position": area.position,
                "counts": _counts(row) if row else {},
            }
        )
    return {
        "version": SNAPSHOT_VERSION,
        "as_of": as_of.isoformat(),
        "header": {
            "parent_body": parent_body(agency),
            "agency": agency.short_name,
            "plan": f"Kế hoạch số {plan.number_symbol} ngày {formatting.short_date(plan.issued_on)}",
            "plan_title": plan.title,
        },
        "counts": _counts(figures.plan),
        "areas": areas,
        "annex": _annex_rows(plan, as_of),
    }


@dataclass
class SnapshotView:
    """A stored snapshot read back: Figures for the whole and by area, the annex rows by area."""

    as_of: datetime.date
    figures: Figures
    areas: list[dict]  # {"area_id", "name", "position", "figures": Figures, "tasks": [annex rows]}

    @property
    def task_count(self) -> int:
        return sum(len(area["tasks"]) for area in self.areas)


def read_snapshot(report: Report) -> SnapshotView | None:
    snapshot = report.snapshot
    if not snapshot:
        return None
    tasks_by_area: dict = {}
    for row in snapshot["annex"]:
        tasks_by_area.setdefault(row["area_id"], []).append(row)
    areas = [
        {
            **area,
            "figures": _figures(
                area["counts"], key=area["area_id"], name=area["name"], position=area["position"]
            ),
            "tasks": tasks_by_area.get(area["area_id"], []),
        }
        for area in snapshot["areas"]
    ]
    return SnapshotView(
        as_of=datetime.date.fromisoformat(snapshot["as_of"]),
        figures=_figures(snapshot["counts"]),
        areas=areas,
    )


def area_figures(report: Report) -> list[Figures]:
    """The figures by area as tasks.dashboard.summary gives them: only the areas that hold tasks."""
    view = read_snapshot(report)
    return [area["figures"] for area in view.areas if area["counts"]] if view else []


# Drafting -----------------------------------------------------------------------------------------


def _line(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?", ";", ":")) else f"{text}."


def draft_texts(report: Report, snapshot: dict) -> dict:
    """The draft texts of a report from the progress reports dated in its window (one query) and the
    snapshot: per area the latest narrative of each task reported in the window and the tasks overdue
    at its end; the tasks coming due in the next period; an opening sentence."""
    reports = (
        ProgressReport.objects.filter(
            task__plan=report.plan, reported_on__gte=report.starts_on, reported_on__lte=report.ends_on
        )
        .exclude(review=ProgressReport.Review.RETURNED)
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
            shortcomings.setdefault(row["area_id"], []).append(
                f"- {_line(row['content']).rstrip('.')} ({row['lead']} chủ trì; thời hạn: {row['deadline']}): "
                f"chưa hoàn thành, quá hạn {row['days_overdue']} ngày."
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
            f"hành chính {report.period_label} (số liệu từ ngày {formatting.short_date(report.starts_on)} "
            f"đến ngày {formatting.short_date(report.ends_on)}) như sau:"
        ),
        "area_texts": [
            {
                "area_id": area["area_id"],
                "name": area["name"],
                "results": "\n".join(results.get(area["area_id"], [])),
                "shortcomings": "\n".join(shortcomings.get(area["area_id"], [])),
            }
            for area in snapshot["areas"]
        ],
        "next_tasks": "\n".join(
            f"- {_line(row['content']).rstrip('.')} ({row['lead']} chủ trì; thời hạn: {row['deadline']})."
            for row in coming
        ),
    }


def take_snapshot(report: Report) -> None:
    """Fill the report's snapshot (not saved)."""
    report.snapshot = build_snapshot(report)
    report.snapshot_at = timezone.now()


# The printed document -----------------------------------------------------------------------------


def report_print_problems(report: Report) -> list[str]:
    """What an issued report lacks to be printed as an official document (empty for a draft, which
    prints with blanks and the "DỰ THẢO" mark)."""
    if report.status != Report.Status.ISSUED:
        return []
    return missing_for_issue(report)


def missing_for_issue(report: Report) -> list[str]:
    """What the report lacks to be issued, one sentence per item."""
    problems = report.missing_elements(number="Chưa có số báo cáo.", date="Chưa có ngày ban hành.")
    if not report.snapshot:
        problems.append("Chưa có số liệu của kỳ báo cáo.")
    return problems


def _count_words(figures: Figures) -> str:
    n = formatting.vn_number
    return (
        f"đã hoàn thành {n(figures.done)} nhiệm vụ (đúng hạn {n(figures.done_on_time)}, quá hạn "
        f"{n(figures.done_late)}); chưa hoàn thành, trong hạn {n(figures.open_on_time)} nhiệm vụ; chưa hoàn "
        f"thành, quá hạn {n(figures.open_overdue)} nhiệm vụ; chưa triển khai {n(figures.not_started)} nhiệm vụ"
    )


def _rate_words(figures: Figures) -> str:
    if figures.completion_rate is None:
        return "Chưa có nhiệm vụ đến hạn."
    return (
        f"Tỷ lệ hoàn thành trên số nhiệm vụ đã đến hạn ({formatting.vn_number(figures.come_due)} nhiệm vụ): "
        f"{formatting.vn_number(figures.completion_rate, 2)}%; tỷ lệ quá hạn: "
        f"{formatting.vn_number(figures.overdue_rate, 2)}%."
    )


def figures_sentences(figures: Figures, as_of: datetime.date) -> str:
    """The headline figures in words, as the report's first item states them."""
    cancelled = (
        f" (không kể {formatting.vn_number(figures.cancelled)} nhiệm vụ đã hủy)" if figures.cancelled else ""
    )
    return (
        f"Tổng số nhiệm vụ theo kế hoạch: {formatting.vn_number(figures.total)} nhiệm vụ{cancelled}. "
        f"Đến ngày {formatting.short_date(as_of)}: {_count_words(figures)}.\n{_rate_words(figures)}"
    )


def _area_sentence(figures: Figures) -> str:
    if not figures.total:
        return "Lĩnh vực này không có nhiệm vụ trong kế hoạch."
    return f"Lĩnh vực có {formatting.vn_number(figures.total)} nhiệm vụ: {_count_words(figures)}."


FIGURE_COLUMNS = (
    Column("TT", 0.06, "center"),
    Column("Lĩnh vực", 0.30),
    Column("Tổng số", 0.09, "center"),
    Column("Hoàn thành đúng hạn", 0.11, "center"),
    Column("Hoàn thành quá hạn", 0.11, "center"),
    Column("Chưa hoàn thành, trong hạn", 0.11, "center"),
    Column("Chưa hoàn thành, quá hạn", 0.11, "center"),
    Column("Chưa triển khai", 0.11, "center"),
)


def _figure_cells(figures: Figures) -> tuple[str, ...]:
    n = formatting.vn_number
    return (
        n(figures.total),
        n(figures.done_on_time),
        n(figures.done_late),
        n(figures.open_on_time),
        n(figures.open_overdue),
        n(figures.not_started),
    )


def _figures_table(view: SnapshotView) -> Table:
    rows = [
        (roman(index), area["name"], *_figure_cells(area["figures"]))
        for index, area in enumerate(view.areas, start=1)
    ]
    rows.append(("", "Tổng cộng", *_figure_cells(view.figures)))
    return Table(columns=FIGURE_COLUMNS, rows=tuple(rows))


ANNEX_COLUMNS = (
    Column("TT", 0.05, "center"),
    Column("Nội dung nhiệm vụ", 0.33),
    Column("Đơn vị chủ trì", 0.14),
    Column("Thời hạn", 0.10, "center"),
    Column("Tình trạng", 0.12, "center"),
    Column("Kết quả", 0.26),
)


def _text_blocks(text: str, empty: str = "Không có.") -> list[Paragraph]:
    text = text.strip()
    return [Paragraph(text if text else empty)]


def build_report_document(report: Report) -> OfficialDocument:
    """The report as printed (Mẫu 1.4, "BÁO CÁO"), from its stored texts and snapshot only."""
    view = read_snapshot(report)
    header = report.snapshot.get("header", {}) if report.snapshot else {}
    agency_name = header.get("agency") or report.agency.short_name
    parent = header["parent_body"] if "parent_body" in header else parent_body(report.agency)
    texts = {entry["area_id"]: entry for entry in report.area_texts}

    body: list = []
    if report.introduction.strip():
        body.append(Paragraph(report.introduction.strip()))
    body.append(Heading("I. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", 1))
    body.append(Heading("1. Tình hình thực hiện các nhiệm vụ của kế hoạch", 2))
    if view is not None:
        body.append(Paragraph(figures_sentences(view.figures, view.as_of)))
        body.append(_figures_table(view))
        areas = view.areas
    else:
        areas = [
            {"area_id": entry["area_id"], "name": entry["name"], "figures": None}
            for entry in report.area_texts
        ]
    for index, area in enumerate(areas, start=2):
        entry = texts.get(area["area_id"], {})
        body.append(Heading(f"{index}. {area['name']}", 2))
        if area["figures"] is not None:
            body.append(Paragraph(_area_sentence(area["figures"])))
        body.append(Heading("a) Kết quả đạt được", 3))
        body.extend(
            _text_blocks(entry.get("results", ""), "Trong kỳ không có nhiệm vụ được báo cáo kết quả.")
        )
        body.append(Heading("b) Tồn tại, hạn chế", 3))
        body.extend(_text_blocks(entry.get("shortcomings", "")))
    body.append(Heading("II. KHÓ KHĂN, VƯỚNG MẮC", 1))
    body.extend(_text_blocks(report.difficulties))
    body.append(Heading("III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", 1))
    body.extend(_text_blocks(report.next_tasks))
    body.append(Heading("IV. ĐỀ XUẤT, KIẾN NGHỊ", 1))
    body.extend(_text_blocks(report.proposals))

    if report.issued_on:
        attached_date = f"ngày {formatting.short_date(report.issued_on)}"
    else:
        attached_date = f"ngày{BLANK}/{BLANK}/{report.ends_on.year}"
    annex_rows: list = []
    if view is not None:
        for index, area in enumerate(view.areas, start=1):
            if not area["tasks"]:
                continue
            annex_rows.append(GroupRow(roman(index), formatting.upper(area["name"])))
            annex_rows.extend(
                (
                    row["number"],
                    row["content"],
                    row["lead"],
                    row["deadline"],
                    row["status_label"],
                    row["result"],
                )
                for row in area["tasks"]
            )
    appendix = Appendix(
        label="Phụ lục",
        title=formatting.upper(f"Tình hình thực hiện nhiệm vụ cải cách hành chính {report.period_label}"),
        attached_to=f"(Kèm theo Báo cáo số {report.number_symbol} {attached_date} của {agency_name})",
        blocks=(Table(columns=ANNEX_COLUMNS, rows=tuple(annex_rows)),),
        landscape=True,
    )
    return OfficialDocument(
        parent_body=formatting.upper(parent),
        agency=formatting.upper(agency_name),
        number_line=f"Số: {report.number_symbol}",
        place_name=report.place_name,
        date=report.issued_on,
        year=report.issued_on.year if report.issued_on else report.ends_on.year,
        type_name="BÁO CÁO",
        summary=f"Kết quả thực hiện công tác cải cách hành chính {report.period_label}",
        legal_bases=(),
        body=tuple(body),
        signature=signature(report),
        recipients=tuple(formatting.recipient_lines(report.recipient_list())),
        appendices=(appendix,),
        draft=report.status == Report.Status.DRAFT,
        title=f"Báo cáo {report.number_symbol.strip()}"
        if report.number
        else f"Báo cáo {report.period_label}",
    )
