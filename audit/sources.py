"""The histories the change log reads, one `Source` per table: where its agency, time, actor, department
and texts are, and how one of its rows reads as a log entry (who, when, what, old → new, why).

Nothing is copied: every history stays where its app writes it (tasks.TaskEvent and Direction,
plans.PlanChange, reports.PeriodicReportChange, evaluations.RoundEvent, ratings.RatingEvent and
RoundEvent, accounts.AccountEvent); audit.log merges them in the database.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.models import AccountEvent
from cchc.text import fold
from evaluations import services as evaluation_services
from evaluations.models import Round as EvaluationRound
from evaluations.models import RoundEvent as EvaluationEvent
from evaluations.models import Unit
from evaluations.views import EVENT_LABELS as EVALUATION_LABELS
from plans.models import PlanChange
from ratings.models import Level, RatingEvent
from ratings.models import RoundEvent as RatingRoundEvent
from reports.models import PeriodicReportChange
from tasks.models import Direction, TaskEvent


class Subject(models.TextChoices):
    """What a change is about: the log's "Loại đối tượng" filter."""

    TASK = "task", "Nhiệm vụ"
    PLAN = "plan", "Kế hoạch"
    REPORT = "report", "Báo cáo"
    EVALUATION = "evaluation", "Chấm điểm CCHC"
    RATING = "rating", "Xếp loại, thi đua"
    ACCOUNT = "account", "Người dùng và phòng"


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    """One row of the log. `url` opens the subject; a person's or a department's page is the
    administrator's (audit.log.entries leaves it out for anyone else)."""

    at: datetime
    actor: str
    action: str
    subject_type: str
    subject: str
    url: str = ""
    detail: str = ""  # what the subject is, in words (a task's content, a plan's title)
    department: str = ""
    changes: list[Change] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    subject: Subject
    model: type[models.Model]
    at: str  # the field holding the time of the change
    actor: str  # the foreign key to the person who made it
    agency: Callable[[int], Q]  # the rows of one agency
    entry: Callable[[models.Model], Entry]
    departments: tuple[str, ...] = ()  # the department(s) the change concerns; none: agency-wide
    texts: tuple[str, ...] = ()  # searched with icontains
    json_texts: tuple[str, ...] = ()  # JSON lists of {"field", "old", "new"}, searched as text
    folded_texts: tuple[str, ...] = ()  # kept folded (cchc.text.fold), searched folded
    related: tuple[str, ...] = ()  # what entry() reads, loaded with the rows

    def text_matches(self, text: str) -> Q:
        """The rows whose person, subject or change holds `text`."""
        matches = Q(**{f"{self.actor}__full_name__icontains": text})
        for lookup in self.texts:
            matches |= Q(**{f"{lookup}__icontains": text})
        escaped = json.dumps(text)[1:-1]  # SQLite keeps JSON as written by json.dumps (\u escapes)
        for lookup in self.json_texts:
            matches |= Q(**{f"{lookup}__icontains": text})
            if escaped != text:
                matches |= Q(**{f"{lookup}__icontains": escaped})
        folded = fold(text)
        for lookup in self.folded_texts:
            matches |= Q(**{f"{lookup}__contains": folded})
        return matches

    def of_department(self, department_id: int) -> Q:
        matches = Q()
        for lookup in self.departments:
            matches |= Q(**{lookup: department_id})
        return matches


def _name(user) -> str:
    if user is None:
        return "Không rõ"
    return user.full_name or user.username


def _recorded(changes) -> list[Change]:
    """The {"field", "old", "new"} items a service recorded."""
    return [
        Change(str(item.get("field", "")), str(item.get("old", "") or ""), str(item.get("new", "") or ""))
        for item in changes or []
        if isinstance(item, dict)
    ]


def _task_event(event: TaskEvent) -> Entry:
    task = event.task
    return Entry(
        at=event.created_at,
        actor=_name(event.actor),
        action=event.get_kind_display(),
        subject_type=Subject.TASK.label,
        subject=f"Nhiệm vụ {task.number}".strip(),
        url=reverse("tasks:detail", args=[task.pk]),
        detail=task.content,
        department=task.lead_department.name if task.lead_department_id else "",
        changes=_recorded(event.changes),
        reason=event.reason,
    )


def _direction(direction: Direction) -> Entry:
    task = direction.task
    return Entry(
        at=direction.created_at,
        actor=_name(direction.author),
        action="Cho ý kiến chỉ đạo",
        subject_type=Subject.TASK.label,
        subject=f"Nhiệm vụ {task.number}".strip(),
        url=reverse("tasks:detail", args=[task.pk]),
        detail=task.content,
        department=task.lead_department.name if task.lead_department_id else "",
        changes=[Change("ý kiến chỉ đạo", "", direction.text)],
    )


def _plan_change(change: PlanChange) -> Entry:
    plan = change.plan
    return Entry(
        at=change.changed_at,
        actor=_name(change.changed_by),
        action=change.action,
        subject_type=Subject.PLAN.label,
        subject=str(plan),
        url=reverse("plans:detail", args=[plan.pk]),
        detail=plan.title,
        changes=_recorded(change.changes),
    )


def _report_change(change: PeriodicReportChange) -> Entry:
    report = change.report
    return Entry(
        at=change.changed_at,
        actor=_name(change.changed_by),
        action=change.action,
        subject_type=Subject.REPORT.label,
        subject=str(report),
        url=reverse("reports:detail", args=[report.pk]),
        detail=f"Báo cáo {report.period_label}",
        changes=_recorded(change.changes),
    )


def _evaluation_changes(event: EvaluationEvent) -> list[Change]:
    """The status each step moved from and to (evaluations.services.MOVES and the units' steps)."""
    if event.kind in evaluation_services.MOVES:
        before, after = evaluation_services.MOVES[event.kind]
        return [
            Change(
                "trạng thái đợt", EvaluationRound.Status(before).label, EvaluationRound.Status(after).label
            )
        ]
    if event.kind == "submitted":
        return [Change("trạng thái đơn vị", "", Unit.Status.SUBMITTED.label)]
    if event.kind == "returned":
        return [Change("trạng thái đơn vị", Unit.Status.SUBMITTED.label, Unit.Status.RETURNED.label)]
    return []


def _evaluation_event(event: EvaluationEvent) -> Entry:
    round_, unit = event.round, event.unit
    return Entry(
        at=event.created_at,
        actor=_name(event.actor),
        action=EVALUATION_LABELS.get(event.kind, event.kind),
        subject_type=Subject.EVALUATION.label,
        subject=f"{round_.title} – {unit}" if unit else round_.title,
        url=reverse("evaluations:unit", args=[unit.pk])
        if unit
        else reverse("evaluations:detail", args=[round_.pk]),
        department=unit.department.name if unit and unit.department_id else "",
        changes=_evaluation_changes(event),
        reason=event.reason,
    )


RATING_LEVEL_FIELDS = {
    RatingEvent.Kind.SUBMIT: "mức tự xếp loại",
    RatingEvent.Kind.PROPOSE: "mức đề xuất",
    RatingEvent.Kind.DECIDE: "mức xếp loại",
}


def _rating_event(event: RatingEvent) -> Entry:
    rating = event.rating
    changes = []
    if event.level:
        label = RATING_LEVEL_FIELDS.get(event.kind, "mức")
        changes.append(Change(label, "", Level(event.level).label))
    return Entry(
        at=event.created_at,
        actor=_name(event.actor),
        action=event.get_kind_display(),
        subject_type=Subject.RATING.label,
        subject=f"Phiếu đánh giá của {rating.person} năm {rating.round.year}",
        url=reverse("ratings:rating", args=[rating.pk]),
        department=rating.department.name,
        changes=changes,
        reason=event.note,
    )


def _rating_round_event(event: RatingRoundEvent) -> Entry:
    round_ = event.round
    return Entry(
        at=event.created_at,
        actor=_name(event.actor),
        action=event.get_kind_display(),
        subject_type=Subject.RATING.label,
        subject=f"Xếp loại, thi đua năm {round_.year}",
        url=reverse("ratings:detail", args=[round_.pk]),
        reason=event.note,
    )


def _account_event(event: AccountEvent) -> Entry:
    subject = event.subject_user or event.subject_department or event.subject_agency
    department = event.subject_department or (event.subject_user.department if event.subject_user else None)
    changes = [Change(event.field, event.old_value, event.new_value)] if event.field else []
    if event.subject_user_id:
        url = reverse("administration:user_update", args=[event.subject_user_id])
    elif event.subject_department_id:
        url = reverse("administration:department_rename", args=[event.subject_department_id])
    else:
        url = ""  # an agency's own page is the province administrator's
    return Entry(
        at=event.at,
        actor=_name(event.actor),
        action=event.get_kind_display(),
        subject_type=Subject.ACCOUNT.label,
        subject=str(subject) if subject else "",
        url=url,
        department=department.name if department else "",
        changes=changes,
        reason=event.reason,
    )


SOURCES = [
    Source(
        key="task_event",
        subject=Subject.TASK,
        model=TaskEvent,
        at="created_at",
        actor="actor",
        agency=lambda agency_id: Q(task__plan__agency_id=agency_id),
        entry=_task_event,
        departments=("task__lead_department_id",),
        texts=("reason", "task__number"),
        json_texts=("changes",),
        folded_texts=("task__search_text",),
        related=("actor", "task__lead_department"),
    ),
    Source(
        key="direction",
        subject=Subject.TASK,
        model=Direction,
        at="created_at",
        actor="author",
        agency=lambda agency_id: Q(task__plan__agency_id=agency_id),
        entry=_direction,
        departments=("task__lead_department_id",),
        texts=("text", "task__number"),
        folded_texts=("task__search_text",),
        related=("author", "task__lead_department"),
    ),
    Source(
        key="plan_change",
        subject=Subject.PLAN,
        model=PlanChange,
        at="changed_at",
        actor="changed_by",
        agency=lambda agency_id: Q(plan__agency_id=agency_id),
        entry=_plan_change,
        texts=("action", "plan__title", "plan__symbol"),
        json_texts=("changes",),
        related=("changed_by", "plan"),
    ),
    Source(
        key="report_change",
        subject=Subject.REPORT,
        model=PeriodicReportChange,
        at="changed_at",
        actor="changed_by",
        agency=lambda agency_id: Q(report__agency_id=agency_id),
        entry=_report_change,
        texts=("action", "report__symbol"),
        json_texts=("changes",),
        related=("changed_by", "report"),
    ),
    Source(
        key="evaluation_event",
        subject=Subject.EVALUATION,
        model=EvaluationEvent,
        at="created_at",
        actor="actor",
        # the agency's own rounds, and what happened to the agency as a unit of a province's round
        agency=lambda agency_id: Q(round__agency_id=agency_id) | Q(unit__agency_id=agency_id),
        entry=_evaluation_event,
        departments=("unit__department_id",),
        texts=("reason", "round__title", "unit__department__name"),
        related=("actor", "round", "unit__department", "unit__agency"),
    ),
    Source(
        key="rating_event",
        subject=Subject.RATING,
        model=RatingEvent,
        at="created_at",
        actor="actor",
        agency=lambda agency_id: Q(rating__round__agency_id=agency_id),
        entry=_rating_event,
        departments=("rating__department_id",),
        texts=("note", "rating__person__full_name"),
        related=("actor", "rating__person", "rating__department", "rating__round"),
    ),
    Source(
        key="rating_round_event",
        subject=Subject.RATING,
        model=RatingRoundEvent,
        at="created_at",
        actor="actor",
        agency=lambda agency_id: Q(round__agency_id=agency_id),
        entry=_rating_round_event,
        texts=("note",),
        related=("actor", "round"),
    ),
    Source(
        key="account_event",
        subject=Subject.ACCOUNT,
        model=AccountEvent,
        at="at",
        actor="actor",
        agency=lambda agency_id: Q(agency_id=agency_id),
        entry=_account_event,
        departments=("subject_department_id", "subject_user__department_id"),
        texts=(
            "field",
            "old_value",
            "new_value",
            "reason",
            "subject_user__full_name",
            "subject_user__username",
            "subject_department__name",
        ),
        related=("actor", "subject_user__department", "subject_department", "subject_agency"),
    ),
]
SOURCES_BY_KEY = {source.key: source for source in SOURCES}
