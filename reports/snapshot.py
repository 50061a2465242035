"""The snapshot of a periodic report: its figures, its figures by reform area, its annex rows and the
agency's header, taken when the report is drafted and refreshed only on the clerk's request while it is
a draft, so that the report prints from what it stores, never from the live tasks."""

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cchc import formatting
from cchc.formatting import roman
from cchc.printing.signed import parent_body
from dashboards.figures import Figures, summary
from plans.models import Plan, ReformArea
from reports.models import PeriodicReport
from tasks.models import ProgressUpdate, Task
from tasks.status import COMPLETED, Status, days_overdue, deadline_in_force, end_of_day, with_status

SNAPSHOT_VERSION = 1
# The counts a snapshot keeps for each set of figures: the keys of dashboards.figures.Figures.from_row.
FIGURE_KEYS = ("total", "due", "due_soon", "no_deadline", *(status.value for status in Status))
# The words of the annex's deadline column for a task that had no deadline (Task.Kind.UNSET).
NO_DEADLINE = Task.Kind.UNSET.label
# The statuses whose annex row states the cause of the delay.
LATE = (Status.OPEN_OVERDUE, Status.DONE_LATE)


def _counts(figures: Figures) -> dict:
    counts = {key: getattr(figures, key, 0) for key in ("total", "due", "due_soon", "no_deadline")}
    counts.update({status.value: figures.count(status.value) for status in Status})
    counts["days_late"] = figures.days_late.days if figures.days_late is not None else None
    return counts


def _figures(counts: dict, **extra) -> Figures:
    row = {key: counts.get(key, 0) for key in FIGURE_KEYS}
    if counts.get("days_late") is not None:
        row["days_late"] = datetime.timedelta(days=counts["days_late"])
    return Figures.from_row(row, **extra)


def deadline_shown(text: str, due_on: datetime.date | None) -> str:
    """The deadline as the annex states it: as written, and said to be unset when it named no date
    ("Kịp thời (chưa xác định thời hạn)"; "Chưa xác định thời hạn" when nothing was written)."""
    text = (text or "").strip()
    if due_on is not None:
        return text
    if not text or text.casefold() == NO_DEADLINE.casefold():
        return NO_DEADLINE
    return f"{text} ({NO_DEADLINE.lower()})"


def _annex_rows(plan: Plan, as_of: datetime.date) -> list[dict]:
    """Every task of the plan with its status, deadline and latest result on `as_of`, in one query."""
    cutoff = end_of_day(as_of)
    latest = (
        ProgressUpdate.objects.filter(task=OuterRef("pk"), reported_at__lt=cutoff)
        .exclude(review=ProgressUpdate.Review.RETURNED)
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
            last_delay_cause=Subquery(latest.exclude(delay_cause="").values("delay_cause")[:1]),
        )
        .values(
            "pk",
            "number",
            "content",
            "area_id",
            "lead_department__name",
            "lead_name",
            "section__label",
            "deadline_then",
            "due_on",
            "status",
            "last_result",
            "last_narrative",
            "last_percent",
            "last_delay_cause",
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
                # Grouped by reform area, a task is named by its section too ("III.1.2"): "2" alone repeats.
                "number": ".".join(part for part in (row["section__label"], row["number"]) if part),
                "content": row["content"],
                "lead": row["lead_name"] or row["lead_department__name"] or "",
                "deadline": deadline_shown(row["deadline_then"], row["due_on"]),
                "due_on": row["due_on"].isoformat() if row["due_on"] else None,
                "status": status.value,
                "status_label": status.label,
                "days_overdue": days_overdue(row["due_on"], as_of) if status == Status.OPEN_OVERDUE else 0,
                "result": result,
                # The latest cause of the delay reported by then, for a task late on `as_of`.
                "delay_cause": (row["last_delay_cause"] or "").strip() if status in LATE else "",
            }
        )
    return annex


def result_shown(row: dict) -> str:
    """The annex's result column: the latest result and, for a task late, the cause of its delay (a
    snapshot taken before causes were reported has none)."""
    cause = (row.get("delay_cause") or "").strip()
    if not cause:
        return row["result"]
    return "\n".join(part for part in (row["result"], f"Nguyên nhân chậm: {cause}") if part)


def build_snapshot(report: PeriodicReport) -> dict:
    """The figures, the figures by area and the annex rows of the report's plan as of the window's
    end (or today, while the window is still running), and the header as it stands today: three queries for the tasks and one for the areas,
    whatever the number of tasks."""
    plan, agency = report.plan, report.agency
    # a report drafted before its window ends states the figures of today, not a guess of the end
    as_of = min(report.ends_on, timezone.localdate())
    figures = summary(Task.objects.filter(plan=plan), as_of)
    by_area = {row.key: row for row in figures.areas}
    areas = []
    for area in ReformArea.objects.filter(area_set_id=plan.area_set_id).order_by("position"):
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
            "plan": f"Kế hoạch số {plan.number_symbol} {formatting.text_date(plan.issued_on)}",
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

    def annex_part(self, start: int, stop: int) -> list[dict]:
        """The annex rows `start` to `stop` (in the annex's order: area by area, as printed), grouped
        by area: each group with the area's Roman numeral, name, rows and whether the area began on
        an earlier row."""
        groups, first = [], 0
        for index, area in enumerate(self.areas, start=1):
            tasks = area["tasks"]
            end = first + len(tasks)
            if first < stop and start < end:
                groups.append(
                    {
                        "numeral": roman(index),
                        "name": area["name"],
                        "rows": tasks[max(start - first, 0) : stop - first],
                        "continued": start > first,
                    }
                )
            first = end
        return groups

    def annex_areas(self, page_size: int) -> list[dict]:
        """The areas that hold annex rows: Roman numeral, name, number of rows and the page (of
        `page_size` rows) on which the area begins."""
        areas, first = [], 0
        for index, area in enumerate(self.areas, start=1):
            count = len(area["tasks"])
            if count:
                areas.append(
                    {
                        "numeral": roman(index),
                        "name": area["name"],
                        "count": count,
                        "page": first // page_size + 1,
                    }
                )
            first += count
        return areas


def read_snapshot(report: PeriodicReport) -> SnapshotView | None:
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


def area_figures(report: PeriodicReport) -> list[Figures]:
    """The figures by area as dashboards.figures.summary gives them: only the areas that hold tasks."""
    view = read_snapshot(report)
    return [area["figures"] for area in view.areas if area["counts"]] if view else []


def take_snapshot(report: PeriodicReport) -> None:
    """Fill the report's snapshot (not saved)."""
    report.snapshot = build_snapshot(report)
    report.snapshot_at = timezone.now()
