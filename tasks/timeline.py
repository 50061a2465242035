"""One timeline of a task: reports, reviews, contributions, directions and changes, newest first.

This module builds the data; templates/tasks/_timeline.html shows it, and the task page keeps that
fragment in the cache under the task's revision (tasks.views.detail)."""

from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace

from django.db.models import Q

from tasks.models import Contribution, Direction, DirectionReply, Evidence, ProgressUpdate, Task, TaskEvent


@dataclass
class Entry:
    kind: str  # report | review | contribution | direction | event
    at: datetime
    actor: str
    title: str
    body: str = ""
    result: str = ""
    reason: str = ""
    percent: int | None = None
    review: str = ""
    changes: list = field(default_factory=list)  # {"field", "old", "new"} of each changed field
    evidence: list = field(default_factory=list)  # pk, original_name and size of each file
    previous_percent: int | None = None  # a report: the percent recorded before it
    decrease_reason: str = ""  # a report lowering the percent: why
    delay_cause: str = ""  # a report on an overdue task: the cause of the delay
    replies: list | None = None  # a direction: the reports on carrying it out (actor, at, text), oldest first

    @property
    def is_decrease(self) -> bool:
        return (
            self.previous_percent is not None
            and self.percent is not None
            and self.percent < self.previous_percent
        )


REVIEW_EVENTS = {TaskEvent.Kind.APPROVED, TaskEvent.Kind.RETURNED}


def _name(full_name: str, username: str) -> str:
    return full_name or username


EVENT_LABELS = dict(TaskEvent.Kind.choices)


def build(task: Task, limit: int | None = None) -> tuple[list[Entry], bool]:
    """The entries (at most `limit`, newest first) and whether there are more than those.

    Everything is read with values(): the timeline shows names and texts, and building model instances
    (with their users) for every entry cost more than the queries."""
    reports = ProgressUpdate.objects.filter(task=task).values(
        "pk",
        "reported_at",
        "percent",
        "narrative",
        "result",
        "review",
        "return_reason",
        "previous_percent",
        "decrease_reason",
        "delay_cause",
        "reported_by__full_name",
        "reported_by__username",
    )
    contributions = Contribution.objects.filter(task=task).values(
        "pk", "created_at", "note", "author__full_name", "author__username", "department__name"
    )
    directions = Direction.objects.filter(task=task).values(
        "pk", "created_at", "text", "author__full_name", "author__username"
    )
    events = TaskEvent.objects.filter(task=task).values(
        "created_at", "kind", "reason", "changes", "actor__full_name", "actor__username"
    )
    if limit is not None:
        reports, contributions = (
            reports.order_by("-reported_at")[: limit + 1],
            contributions.order_by("-created_at")[: limit + 1],
        )
        directions, events = (
            directions.order_by("-created_at")[: limit + 1],
            events.order_by("-created_at")[: limit + 1],
        )

    reports, contributions, directions = list(reports), list(contributions), list(directions)
    replies = _replies([item["pk"] for item in directions])
    files_of_report, files_of_contribution = _evidence(
        task, [report["pk"] for report in reports], [item["pk"] for item in contributions]
    )
    entries = []
    for values in reports:
        percent = values["percent"]
        entries.append(
            Entry(
                kind="report",
                at=values["reported_at"],
                actor=_name(values["reported_by__full_name"], values["reported_by__username"]),
                title="Báo cáo hoàn thành" if percent == 100 else f"Báo cáo tiến độ {percent}%",
                body=values["narrative"],
                result=values["result"],
                percent=percent,
                review=values["review"],
                reason=values["return_reason"],
                evidence=files_of_report.get(values["pk"], []),
                previous_percent=values["previous_percent"],
                decrease_reason=values["decrease_reason"],
                delay_cause=values["delay_cause"],
            )
        )
    entries += [
        Entry(
            kind="contribution",
            at=item["created_at"],
            actor=f"{_name(item['author__full_name'], item['author__username'])} ({item['department__name']})",
            title="Ý kiến phối hợp",
            body=item["note"],
            evidence=files_of_contribution.get(item["pk"], []),
        )
        for item in contributions
    ]
    entries += [
        Entry(
            kind="direction",
            at=item["created_at"],
            actor=_name(item["author__full_name"], item["author__username"]),
            title="Ý kiến chỉ đạo",
            body=item["text"],
            replies=replies.get(item["pk"], []),
        )
        for item in directions
    ]
    entries += [
        Entry(
            kind="review" if event["kind"] in REVIEW_EVENTS else "event",
            at=event["created_at"],
            actor=_name(event["actor__full_name"], event["actor__username"]),
            title=EVENT_LABELS.get(event["kind"], event["kind"]),
            reason=event["reason"],
            changes=event["changes"],
            review=event["kind"],
        )
        for event in events
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    if limit is None:
        return entries, False
    # Each kind was read up to one past `limit`: more than `limit` in all means there is more to see.
    return entries[:limit], len(entries) > limit


def _replies(direction_ids: list[int]) -> dict[int, list[SimpleNamespace]]:
    """The reports on carrying out the shown directions, oldest first, read in one query (none when no
    direction is shown)."""
    by_direction: dict = {}
    if not direction_ids:
        return by_direction
    rows = DirectionReply.objects.filter(direction_id__in=direction_ids).order_by("created_at", "pk")
    for direction_id, at, text, full_name, username in rows.values_list(
        "direction_id", "created_at", "text", "author__full_name", "author__username"
    ):
        by_direction.setdefault(direction_id, []).append(
            SimpleNamespace(at=at, text=text, actor=_name(full_name, username))
        )
    return by_direction


def _evidence(task: Task, report_ids: list[int], contribution_ids: list[int]) -> tuple[dict, dict]:
    """The files of the shown reports and contributions (what a link to each shows: its id, name and
    size), read in one query."""
    by_report, by_contribution = {}, {}
    if not (report_ids or contribution_ids):
        return by_report, by_contribution
    shown = Q()  # the plain condition when only one kind is shown: cheaper to build than the OR
    if report_ids:
        shown |= Q(report_id__in=report_ids)
    if contribution_ids:
        shown |= Q(contribution_id__in=contribution_ids)
    files = Evidence.objects.filter(shown)
    for pk, report_id, contribution_id, name, size in files.order_by("pk").values_list(
        "pk", "report_id", "contribution_id", "original_name", "size"
    ):
        item = SimpleNamespace(pk=pk, original_name=name, size=size)
        if report_id:
            by_report.setdefault(report_id, []).append(item)
        else:
            by_contribution.setdefault(contribution_id, []).append(item)
    return by_report, by_contribution
