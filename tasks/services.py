"""Every write to tasks, reports, evidence and their history goes through these functions, and every
one of them ends in _changed(): the record of the change and the counts the caches are keyed on."""

import datetime
import re
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.access import administers_agency
from accounts.models import Department, User
from accounts.services import bulk_write, count_data_change
from cchc.formatting import roman_value
from cchc.text import fold, nfc
from plans.models import Plan, PlanSection, ReformArea
from tasks import evidence as evidence_files
from tasks.access import (
    NOT_A_REVIEWER,
    SELF_REVIEW,
    can_contribute,
    can_direct,
    can_manage,
    can_reply,
    can_review,
    can_review_report,
)
from tasks.deadlines import Deadline, DeadlineError, parse_deadline
from tasks.models import (
    BodyName,
    Contribution,
    Direction,
    DirectionReply,
    Evidence,
    ProgressUpdate,
    Task,
    TaskDeadline,
    TaskEvent,
)
from tasks.signals import task_happened


def _number_part(part: str) -> str:
    if part.isdigit():
        return part.zfill(5)
    value = roman_value(part) if not part.startswith("C") else None  # "C" alone is a letter
    if value is not None:  # "IX.1" after "V.1", as the numbers they are
        return str(value).zfill(5)
    return part.lower()


def sort_key(number: str, section: PlanSection | None = None) -> str:
    """'2.10' sorts after '2.9' and 'IX' after 'V': every numeric part is padded, other text kept;
    within a section, after the section's own key (its written place in the plan)."""
    parts = re.split(r"[.\-/ ]+", number.strip())
    key = ".".join(_number_part(part) for part in parts if part)
    return f"{section.sort_key}0{key}" if section is not None else key  # "0": before a child's "1…"


def search_text(task: Task) -> str:
    return fold(
        " ".join(
            [
                task.number,
                task.content,
                task.details,
                task.expected_output,
                task.notes,
                task.lead_name,
                task.outside_coordinators,
            ]
        )
    )


def _check_section(plan: Plan, section: PlanSection | None) -> None:
    if section is not None and section.plan_id != plan.pk:
        raise ValidationError({"section": "Mục phải thuộc kế hoạch của nhiệm vụ."})


def read_deadline(text: str, *, plan: Plan) -> Deadline:
    try:
        return parse_deadline(text, year=plan.year)
    except DeadlineError as error:
        raise ValidationError({"deadline_text": str(error)}) from error


def _check_departments(plan: Plan, lead: Department, coordinating: Iterable[Department]) -> None:
    if lead.agency_id != plan.agency_id:
        raise ValidationError({"lead_department": "Đơn vị chủ trì phải thuộc cơ quan của kế hoạch."})
    for department in coordinating:
        if department.agency_id != plan.agency_id:
            raise ValidationError(
                {"coordinating_departments": "Đơn vị phối hợp phải thuộc cơ quan của kế hoạch."}
            )
        if department.pk == lead.pk:
            raise ValidationError(
                {"coordinating_departments": "Đơn vị chủ trì không đồng thời là đơn vị phối hợp."}
            )


def _check_area(plan: Plan, area: ReformArea | None) -> None:
    if area is not None and area.area_set_id != plan.area_set_id:
        raise ValidationError({"area": "Lĩnh vực phải thuộc bộ lĩnh vực CCHC của kế hoạch."})


def _check_assignees(lead: Department, assignees: Iterable[User]) -> None:
    for user in assignees:
        if user.department_id != lead.pk:
            raise ValidationError({"assignees": f"{user} không thuộc đơn vị chủ trì ({lead})."})


MANAGERS_ONLY = "Chỉ văn thư, Văn phòng mới thay đổi nhiệm vụ của kế hoạch."


def _require_right(allowed: bool, message: str) -> None:
    """Services check the right of the one acting with the predicate the views use (tasks.access)."""
    if not allowed:
        raise PermissionDenied(message)


def _changed(tasks: Sequence[Task], *, events: Sequence[TaskEvent] = ()) -> None:
    """The one place every write of a task's data ends in, inside the write's transaction: it records
    the events (who, when, what and why) and counts one more change of each task (Task.revision: the
    task page's timeline is cached on it) and of its agency's data (Agency.data_version: every cached
    page of the agency), in the database so that none is lost. Within bulk_write() the agency is
    counted once for the whole block, not once per task."""
    if events:
        TaskEvent.objects.bulk_create(events)
    Task.objects.filter(pk__in=[task.pk for task in tasks]).update(revision=F("revision") + 1)
    count_data_change(*{task.plan.agency_id for task in tasks})


def _event(
    task: Task, kind: str, by: User, *, reason: str = "", changes: list | None = None, at=None
) -> None:
    """Record one change of `task` with its event (TaskEvent), through _changed."""
    event = TaskEvent(
        task=task, kind=kind, actor=by, reason=reason, changes=changes or [], created_at=at or timezone.now()
    )
    _changed([task], events=[event])


@transaction.atomic
def task_create(
    *,
    plan: Plan,
    by: User,
    number: str,
    area: ReformArea | None = None,
    content: str,
    lead_department: Department,
    deadline_text: str,
    section: PlanSection | None = None,
    lead_name: str = "",
    outside_coordinators: str = "",
    coordinating_departments: Sequence[Department] = (),
    assignees: Sequence[User] = (),
    start_date: datetime.date | None = None,
    details: str = "",
    expected_output: str = "",
    notes: str = "",
    event_kind: str = TaskEvent.Kind.CREATED,
    at: datetime.datetime | None = None,
) -> Task:
    _require_right(can_manage(by, plan), MANAGERS_ONLY)
    deadline = read_deadline(deadline_text, plan=plan)
    _check_section(plan, section)
    if area is None and section is not None:
        area = section.effective_area
    _check_area(plan, area)
    _check_departments(plan, lead_department, coordinating_departments)
    _check_assignees(lead_department, assignees)
    task = Task(
        plan=plan,
        section=section,
        area=area,
        number=nfc(number).strip(),
        sort_key=sort_key(nfc(number), section),
        content=nfc(content).strip(),
        details=nfc(details).strip(),
        lead_department=lead_department,
        lead_name=nfc(lead_name).strip(),
        outside_coordinators=nfc(outside_coordinators).strip(),
        start_date=start_date or deadline.start,
        deadline_text=deadline.text,
        deadline_kind=deadline.kind,
        due_date=deadline.due_date,
        expected_output=nfc(expected_output).strip(),
        notes=nfc(notes).strip(),
    )
    task.search_text = search_text(task)
    task.full_clean(exclude=["sort_key", "search_text"])
    task.save()
    task.coordinating_departments.set(coordinating_departments)
    task.assignees.set(assignees)
    TaskDeadline.objects.create(
        task=task, deadline_text=deadline.text, deadline_kind=deadline.kind, due_date=deadline.due_date
    )
    _event(task, event_kind, by, at=at)
    task_happened.send(
        Task, kind="contribution_asked", task=task, actor=by, target=list(coordinating_departments)
    )
    return task


CONTENT_FIELDS = (
    "section",
    "number",
    "area",
    "content",
    "details",
    "start_date",
    "expected_output",
    "notes",
    "lead_name",
    "outside_coordinators",
)


@transaction.atomic
def task_update(
    *,
    task: Task,
    by: User,
    coordinating_departments: Sequence[Department] | None = None,
    event_kind: str = TaskEvent.Kind.UPDATED,
    **fields,
) -> Task:
    """Edit what the task says; deadline and lead department have their own functions (with a reason)."""
    _require_right(can_manage(by, task), MANAGERS_ONLY)
    task = Task.objects.select_for_update().get(pk=task.pk)
    changes = []
    for field, value in fields.items():
        if field not in CONTENT_FIELDS:
            raise ValueError(f"{field} is changed by its own service function")
        old = getattr(task, field)
        if isinstance(value, str):
            value = nfc(value).strip()
        if old == value:
            continue
        setattr(task, field, value)
        changes.append(
            {"field": str(Task._meta.get_field(field).verbose_name), "old": _text(old), "new": _text(value)}
        )
    if "section" in fields:
        _check_section(task.plan, task.section)
        if "area" not in fields and task.section is not None:
            area = task.section.effective_area  # the area comes with the section
            if area != task.area:
                changes.append({"field": "lĩnh vực", "old": _text(task.area), "new": _text(area)})
                task.area = area
    if "area" in fields:
        _check_area(task.plan, task.area)
    if coordinating_departments is not None:
        _check_departments(task.plan, task.lead_department, coordinating_departments)
        old_names = sorted(str(d) for d in task.coordinating_departments.all())
        new_names = sorted(str(d) for d in coordinating_departments)
        if old_names != new_names:
            task.coordinating_departments.set(coordinating_departments)
            changes.append(
                {"field": "đơn vị phối hợp", "old": ", ".join(old_names), "new": ", ".join(new_names)}
            )
            added = [d for d in coordinating_departments if str(d) not in old_names]  # unique in the agency
            task_happened.send(Task, kind="contribution_asked", task=task, actor=by, target=added)
    if changes:
        task.sort_key = sort_key(task.number, task.section)
        task.search_text = search_text(task)
        task.full_clean(exclude=["sort_key", "search_text"])
        task.save()
        _event(task, event_kind, by, changes=changes)
    return task


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Nhập lý do thay đổi."})
    return reason


def _deadline_words(text: str, due: datetime.date | None) -> str:
    return f"{text} ({due:%d/%m/%Y})" if due else f"{text or '—'} (chưa xác định thời hạn)"


@transaction.atomic
def task_change_deadline(
    *, task: Task, by: User, deadline_text: str = "", reason: str, at=None, deadline: Deadline | None = None
) -> Task:
    """A new deadline, read from `deadline_text` (or given already read: the import's, possibly unset)."""
    _require_right(can_manage(by, task), MANAGERS_ONLY)
    reason = _require_reason(reason)
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    deadline = deadline or read_deadline(deadline_text, plan=task.plan)
    if (deadline.text, deadline.due_date) == (task.deadline_text, task.due_date):
        raise ValidationError({"deadline_text": "Thời hạn mới trùng với thời hạn hiện tại."})
    at = at or timezone.now()
    old = _deadline_words(task.deadline_text, task.due_date)
    task.deadline_text, task.deadline_kind, task.due_date = deadline.text, deadline.kind, deadline.due_date
    task.save(update_fields=["deadline_text", "deadline_kind", "due_date", "updated_at"])
    TaskDeadline.objects.create(
        task=task,
        deadline_text=deadline.text,
        deadline_kind=deadline.kind,
        due_date=deadline.due_date,
        valid_from=at,
    )
    _event(
        task,
        TaskEvent.Kind.DEADLINE,
        by,
        reason=reason,
        at=at,
        changes=[{"field": "thời hạn", "old": old, "new": _deadline_words(deadline.text, deadline.due_date)}],
    )
    task_happened.send(Task, kind="deadline_changed", task=task, actor=by, target=None)
    return task


@transaction.atomic
def task_change_lead(*, task: Task, by: User, department: Department, reason: str) -> Task:
    _require_right(can_manage(by, task), MANAGERS_ONLY)
    reason = _require_reason(reason)
    task = Task.objects.select_for_update().select_related("plan", "lead_department").get(pk=task.pk)
    if department.pk == task.lead_department_id:
        raise ValidationError({"department": "Đơn vị này đang chủ trì nhiệm vụ."})
    coordinating = [d for d in task.coordinating_departments.all() if d.pk != department.pk]
    _check_departments(task.plan, department, coordinating)
    old = task.lead_department
    task.lead_department = department
    task.save(update_fields=["lead_department", "updated_at"])
    task.coordinating_departments.set(coordinating)
    task.assignees.clear()  # people of the old department no longer carry it
    _event(
        task,
        TaskEvent.Kind.LEAD,
        by,
        reason=reason,
        changes=[{"field": "đơn vị chủ trì", "old": str(old), "new": str(department)}],
    )
    task_happened.send(Task, kind="lead_changed", task=task, actor=by, target=None)
    return task


@transaction.atomic
def task_cancel(*, task: Task, by: User, reason: str, at: datetime.datetime | None = None) -> Task:
    _require_right(can_manage(by, task), MANAGERS_ONLY)
    reason = _require_reason(reason)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state == Task.State.CANCELLED:
        raise ValidationError("Nhiệm vụ đã được hủy trước đó.")
    if task.state == Task.State.COMPLETED:
        raise ValidationError("Nhiệm vụ đã hoàn thành, không thể hủy.")
    old_state = task.get_state_display()
    task.state, task.cancelled_at = Task.State.CANCELLED, at or timezone.now()
    task.save(update_fields=["state", "cancelled_at", "updated_at"])
    _event(
        task,
        TaskEvent.Kind.CANCELLED,
        by,
        reason=reason,
        at=task.cancelled_at,
        changes=[{"field": "tình trạng", "old": old_state, "new": "Đã hủy"}],
    )
    return task


@transaction.atomic
def task_assign(
    *, task: Task, by: User, assignees: Sequence[User], at: datetime.datetime | None = None
) -> Task:
    task = Task.objects.select_for_update().select_related("plan", "lead_department").get(pk=task.pk)
    _require_right(can_review(by, task), "Chỉ trưởng đơn vị chủ trì mới phân công người thực hiện.")
    _check_assignees(task.lead_department, assignees)
    current = list(task.assignees.all())
    old = sorted(str(user) for user in current)
    new = sorted(str(user) for user in assignees)
    if old != new:
        task.assignees.set(assignees)
        _event(
            task,
            TaskEvent.Kind.ASSIGNED,
            by,
            at=at,
            changes=[{"field": "người thực hiện", "old": ", ".join(old), "new": ", ".join(new)}],
        )
        added = [user for user in assignees if user not in current]
        task_happened.send(Task, kind="assigned", task=task, actor=by, target=added)
    return task


def _checked_files(files) -> list:
    """(upload, kind) for every file, or one ValidationError naming each refused file and why."""
    checked, errors = [], []
    for upload in files:
        try:
            checked.append((upload, evidence_files.check(upload)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return checked


class _StoredFiles:
    """Writes checked uploads to private storage and removes them again if the database write fails,
    so a failure leaves neither a half-written record nor an orphaned file."""

    def __init__(self, checked, *, task: Task, by: User):
        self.checked, self.task, self.by = checked, task, by
        self.names: list[str] = []

    def __enter__(self):
        return self

    def create(self, *, report=None, contribution=None) -> list[Evidence]:
        rows = []
        for upload, kind in self.checked:
            name = evidence_files.save(upload, kind)
            self.names.append(name)
            rows.append(
                Evidence(
                    task=self.task,
                    report=report,
                    contribution=contribution,
                    stored_name=name,
                    original_name=(upload.name or "tệp")[:255],
                    content_type=kind.content_type,
                    size=upload.size,
                    uploaded_by=self.by,
                )
            )
        return Evidence.objects.bulk_create(rows)

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            for name in self.names:
                evidence_files.delete(name)
        return False


def progress_report(
    *,
    task: Task,
    by: User,
    percent: int,
    narrative: str,
    result: str = "",
    files: Sequence = (),
    decrease_reason: str = "",
    delay_cause: str = "",
    at=None,
) -> ProgressUpdate:
    """Append a report. 100 % asks the department head to approve completion; it needs a result and,
    where the agency requires it, at least one evidence file. The report keeps the percent the task had
    (a lower one is a decrease, with its reason) and, on an overdue task, the cause of the delay: the
    task page's form requires both (tasks.forms_detail.ProgressForm); backdated history may lack them."""
    narrative, result = (narrative or "").strip(), (result or "").strip()
    decrease_reason, delay_cause = nfc(decrease_reason or "").strip(), nfc(delay_cause or "").strip()
    errors = {}
    if not 0 <= percent <= 100:
        errors["percent"] = "Tiến độ phải từ 0 đến 100%."
    if not narrative:
        errors["narrative"] = "Nhập nội dung báo cáo."
    if percent == 100:
        if not result:
            errors["result"] = "Báo cáo hoàn thành cần mô tả kết quả, sản phẩm."
        if not files and task.plan.agency.completion_requires_evidence:
            errors["files"] = "Báo cáo hoàn thành cần ít nhất một tài liệu kiểm chứng."
    if errors:
        raise ValidationError(errors)
    checked = _checked_files(files)
    at = at or timezone.now()
    with _StoredFiles(checked, task=task, by=by) as stored, transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.state == Task.State.CANCELLED:
            raise ValidationError("Nhiệm vụ đã bị hủy, không nhận báo cáo.")
        if locked.state == Task.State.COMPLETED:
            raise ValidationError("Nhiệm vụ đã được duyệt hoàn thành.")
        if locked.state == Task.State.PENDING:
            raise ValidationError(
                "Báo cáo hoàn thành đang chờ trưởng phòng duyệt; báo cáo tiếp sau khi được duyệt hoặc trả lại."
            )
        report = ProgressUpdate.objects.create(
            task=locked,
            reported_by=by,
            reported_at=at,
            reported_on=timezone.localdate(at),
            percent=percent,
            previous_percent=locked.percent,
            decrease_reason=decrease_reason if percent < locked.percent else "",
            delay_cause=delay_cause,
            narrative=narrative,
            result=result,
            review=ProgressUpdate.Review.PENDING if percent == 100 else ProgressUpdate.Review.NONE,
        )
        stored.create(report=report)
        locked.percent = percent
        locked.last_report_at = at
        locked.returned_reason = ""
        locked.state = Task.State.PENDING if percent == 100 else Task.State.IN_PROGRESS
        locked.save(update_fields=["percent", "last_report_at", "returned_reason", "state", "updated_at"])
        _changed([task])  # the report is the record; `task` has its plan loaded (the evidence rule)
        if report.review == ProgressUpdate.Review.PENDING:
            task_happened.send(Task, kind="report_pending", task=locked, actor=by, target=report)
    return report


class AlreadyReviewed(ValidationError):
    pass


def _claim_review(
    report: ProgressUpdate, *, by: User, outcome: str, reason: str = "", at=None
) -> ProgressUpdate:
    """Atomically move a pending report to `outcome`; of two reviewers at once exactly one wins. The
    head of the task's lead department reviews, never his own report: a head's own report is a
    leader's (tasks.access.can_review_report); a refusal changes nothing."""
    _require_right(report.reported_by_id != by.pk, SELF_REVIEW)
    _require_right(can_review_report(by, report), NOT_A_REVIEWER)
    at = at or timezone.now()
    claimed = ProgressUpdate.objects.filter(pk=report.pk, review=ProgressUpdate.Review.PENDING).update(
        review=outcome, reviewed_by=by, reviewed_at=at, return_reason=reason
    )
    if claimed != 1:
        current = ProgressUpdate.objects.select_related("reviewed_by").get(pk=report.pk)
        who = f" bởi {current.reviewed_by}" if current.reviewed_by else ""
        raise AlreadyReviewed(f"Báo cáo này đã được xử lý{who} ({current.get_review_display().lower()}).")
    report.refresh_from_db()
    return report


@transaction.atomic
def progress_approve(*, report: ProgressUpdate, by: User, at=None) -> ProgressUpdate:
    """The task is done; its completion date is the date of the completing report."""
    report = _claim_review(report, by=by, outcome=ProgressUpdate.Review.APPROVED, at=at)
    task = Task.objects.select_for_update().get(pk=report.task_id)
    task.state, task.completed_on, task.percent = Task.State.COMPLETED, report.reported_on, 100
    task.save(update_fields=["state", "completed_on", "percent", "updated_at"])
    _event(
        task,
        TaskEvent.Kind.APPROVED,
        by,
        at=report.reviewed_at,
        changes=[{"field": "ngày hoàn thành", "old": "", "new": _text(report.reported_on)}],
    )
    task_happened.send(Task, kind="report_approved", task=task, actor=by, target=report)
    return report


@transaction.atomic
def progress_return(*, report: ProgressUpdate, by: User, reason: str, at=None) -> ProgressUpdate:
    """Back to in progress, at the percent of the latest report not returned (the returned 100 % was
    never accepted: the lists show that percent with the "bị trả lại" mark); the reporter sees why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Nhập lý do trả lại để người báo cáo biết cần bổ sung gì."})
    report = _claim_review(report, by=by, outcome=ProgressUpdate.Review.RETURNED, reason=reason, at=at)
    task = Task.objects.select_for_update().get(pk=report.task_id)
    accepted = (
        ProgressUpdate.objects.filter(task=task)
        .exclude(review=ProgressUpdate.Review.RETURNED)
        .order_by("-reported_at", "-pk")
        .values_list("percent", flat=True)
        .first()
    )
    task.state, task.returned_reason, task.percent = Task.State.IN_PROGRESS, reason, accepted or 0
    task.save(update_fields=["state", "returned_reason", "percent", "updated_at"])
    _event(task, TaskEvent.Kind.RETURNED, by, reason=reason, at=report.reviewed_at)
    task_happened.send(Task, kind="report_returned", task=task, actor=by, target=report)
    return report


def contribution_add(
    *,
    task: Task,
    by: User,
    department: Department,
    note: str,
    files: Sequence = (),
    at: datetime.datetime | None = None,
) -> Contribution:
    _require_right(can_contribute(by, task), "Chỉ đơn vị phối hợp mới gửi ý kiến phối hợp.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Nhập nội dung phối hợp."})
    checked = _checked_files(files)
    with _StoredFiles(checked, task=task, by=by) as stored, transaction.atomic():
        contribution = Contribution.objects.create(task=task, department=department, author=by, note=note)
        _changed([task])  # the contribution is the record
        if at is not None:  # created_at is stamped on insert; a backdated record (demo history) overrides it
            Contribution.objects.filter(pk=contribution.pk).update(created_at=at)
            contribution.created_at = at
        stored.create(contribution=contribution)
    return contribution


def direction_add(*, task: Task, by: User, text: str, at: datetime.datetime | None = None) -> Direction:
    _require_right(can_direct(by, task), "Chỉ lãnh đạo cơ quan mới cho ý kiến chỉ đạo.")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Nhập ý kiến chỉ đạo."})
    with transaction.atomic():
        direction = Direction.objects.create(task=task, author=by, text=text)
        if at is not None:  # created_at is stamped on insert; a backdated record (demo history) overrides it
            Direction.objects.filter(pk=direction.pk).update(created_at=at)
            direction.created_at = at
        _changed([task])  # the direction is the record
        task_happened.send(Task, kind="direction", task=task, actor=by, target=direction)
    return direction


def direction_reply(
    *, direction: Direction, by: User, text: str, at: datetime.datetime | None = None
) -> DirectionReply:
    """The report on carrying out a leader's direction, by those who carry the task."""
    task = direction.task
    _require_right(
        can_reply(by, task),
        "Chỉ đơn vị chủ trì, trưởng đơn vị hoặc người được giao mới báo cáo thực hiện ý kiến chỉ đạo.",
    )
    text = nfc(text or "").strip()
    if not text:
        raise ValidationError({"text": "Nhập kết quả thực hiện ý kiến chỉ đạo."})
    with transaction.atomic():
        reply = DirectionReply.objects.create(direction=direction, author=by, text=text)
        if at is not None:  # created_at is stamped on insert; a backdated record (demo history) overrides it
            DirectionReply.objects.filter(pk=reply.pk).update(created_at=at)
            reply.created_at = at
        _changed([task])  # the reply is the record
        # the leader who gave the direction is told (notifications.receivers)
        task_happened.send(Task, kind="direction_replied", task=task, actor=by, target=reply)
    return reply


@bulk_write()
def tasks_bulk_change_lead(*, tasks: Sequence[Task], by: User, department: Department, reason: str) -> int:
    changed = 0
    for task in tasks:
        if task.lead_department_id != department.pk:
            task_change_lead(task=task, by=by, department=department, reason=reason)
            changed += 1
    return changed


@bulk_write()
def tasks_bulk_move_deadline(*, tasks: Sequence[Task], by: User, deadline_text: str, reason: str) -> int:
    moved = 0
    for task in tasks:
        deadline = read_deadline(deadline_text, plan=task.plan)
        if (deadline.text, deadline.due_date) != (task.deadline_text, task.due_date):
            task_change_deadline(task=task, by=by, deadline_text=deadline_text, reason=reason)
            moved += 1
    return moved


@transaction.atomic
def tasks_bulk_create(
    *, plan: Plan, by: User, items: Sequence[dict], event_kind: str = TaskEvent.Kind.CREATED
) -> list[Task]:
    """Create many tasks with the checks and records of task_create, in a few queries whatever their
    number (the annex import: 1,000 rows through task_create take 16 queries each). Each item holds
    task_create's keyword arguments but plan, by and assignees (imported tasks have none yet); an item
    may give its `deadline` already read (a Deadline, possibly unset) instead of deadline_text."""
    _require_right(can_manage(by, plan), MANAGERS_ONLY)
    prepared = []
    taken = set(plan.tasks.values_list("section_id", "number"))
    for item in items:
        number = nfc(item["number"]).strip()
        section = item.get("section")
        try:
            deadline = item.get("deadline") or read_deadline(item["deadline_text"], plan=plan)
            coordinating = list(item.get("coordinating_departments", ()))
            _check_section(plan, section)
            area = item.get("area")
            _check_area(plan, area)
            _check_departments(plan, item["lead_department"], coordinating)
            if (section.pk if section else None, number) in taken:
                raise ValidationError({"number": "Mục này đã có nhiệm vụ mang số thứ tự này."})
            taken.add((section.pk if section else None, number))
            task = Task(
                plan=plan,
                section=section,
                area=area,
                number=number,
                sort_key=sort_key(number, section),
                content=nfc(item["content"]).strip(),
                details=nfc(item.get("details", "")).strip(),
                lead_department=item["lead_department"],
                lead_name=nfc(item.get("lead_name", "")).strip(),
                outside_coordinators=nfc(item.get("outside_coordinators", "")).strip(),
                start_date=item.get("start_date") or deadline.start,
                deadline_text=deadline.text,
                deadline_kind=deadline.kind,
                due_date=deadline.due_date,
                expected_output=nfc(item.get("expected_output", "")).strip(),
                notes=nfc(item.get("notes", "")).strip(),
            )
            task.search_text = search_text(task)
            # The foreign keys were checked above and the database enforces the unique number.
            task.full_clean(
                exclude=["sort_key", "search_text", "plan", "section", "area", "lead_department"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            raise ValidationError(f"Nhiệm vụ {number}: {' '.join(error.messages)}") from error
        prepared.append((task, deadline, coordinating))
    tasks = Task.objects.bulk_create([task for task, _, _ in prepared])
    at = timezone.now()
    TaskDeadline.objects.bulk_create(
        TaskDeadline(task=task, deadline_text=d.text, deadline_kind=d.kind, due_date=d.due_date)
        for task, d, _ in prepared
    )
    Link = Task.coordinating_departments.through
    Link.objects.bulk_create(
        Link(task_id=task.pk, department_id=department.pk)
        for task, _, coordinating in prepared
        for department in coordinating
    )
    asked = [(task, coordinating) for task, _, coordinating in prepared if coordinating]
    task_happened.send(Task, kind="contribution_asked", task=None, actor=by, target=None, batch=asked)
    _changed(tasks, events=[TaskEvent(task=task, kind=event_kind, actor=by, created_at=at) for task in tasks])
    return tasks


@transaction.atomic
def tasks_bulk_update(
    *, plan: Plan, by: User, updates: Sequence[dict], reason: str, event_kind: str = TaskEvent.Kind.IMPORTED
) -> int:
    """Bring many tasks of one plan in line at once, with the checks and records of task_change_lead,
    task_change_deadline and task_update, in a few queries whatever their number (the annex re-import:
    2,000 rows through those functions take half a minute). Each update names its `task` and what
    changes: `lead_department`, `deadline` (a Deadline, possibly unset), `fields` (content fields) and
    `coordinating` (the coordinating departments, or None to keep them). Returns how many changed."""
    _require_right(can_manage(by, plan), MANAGERS_ONLY)
    reason = _require_reason(reason)
    tasks = {
        task.pk: task
        for task in Task.objects.select_for_update(of=("self",))
        .filter(plan=plan, pk__in=[update["task"].pk for update in updates])
        .select_related("lead_department", "section", "area")
    }
    for task in tasks.values():
        task.plan = plan
    Link = Task.coordinating_departments.through
    linked: dict[int, list[Department]] = {pk: [] for pk in tasks}
    for link in Link.objects.filter(task_id__in=tasks).select_related("department"):
        linked[link.task_id].append(link.department)
    at = timezone.now()
    events, deadlines, changed, relinked, unassigned = [], [], [], {}, []

    def record(task: Task, kind: str, field: str, old: str, new: str) -> None:
        """The event of a lead or deadline change, with the import as its reason."""
        changes = [{"field": field, "old": old, "new": new}]
        events.append(
            TaskEvent(task=task, kind=kind, actor=by, reason=reason, created_at=at, changes=changes)
        )

    for update in updates:
        task = tasks[update["task"].pk]
        touched = set()
        lead = update.get("lead_department")
        if lead is not None and lead.pk != task.lead_department_id:
            old, task.lead_department = task.lead_department, lead
            relinked[task.pk] = [d for d in linked[task.pk] if d.pk != lead.pk]
            unassigned.append(task.pk)  # people of the old department no longer carry it
            record(task, TaskEvent.Kind.LEAD, "đơn vị chủ trì", str(old), str(lead))
            touched.add("lead_department")
        deadline = update.get("deadline")
        if deadline is not None and (deadline.text, deadline.due_date) != (task.deadline_text, task.due_date):
            old_words = _deadline_words(task.deadline_text, task.due_date)
            task.deadline_text, task.deadline_kind, task.due_date = (
                deadline.text,
                deadline.kind,
                deadline.due_date,
            )
            deadlines.append(
                TaskDeadline(
                    task=task,
                    deadline_text=deadline.text,
                    deadline_kind=deadline.kind,
                    due_date=deadline.due_date,
                    valid_from=at,
                )
            )
            record(
                task,
                TaskEvent.Kind.DEADLINE,
                "thời hạn",
                old_words,
                _deadline_words(deadline.text, deadline.due_date),
            )
            touched.update(("deadline_text", "deadline_kind", "due_date"))
        changes = []
        for field, value in update.get("fields", {}).items():
            if field not in CONTENT_FIELDS:
                raise ValueError(f"{field} is not a content field")
            if isinstance(value, str):
                value = nfc(value).strip()
            old = getattr(task, field)
            if old == value:
                continue
            setattr(task, field, value)
            touched.add(field)
            changes.append(
                {
                    "field": str(Task._meta.get_field(field).verbose_name),
                    "old": _text(old),
                    "new": _text(value),
                }
            )
        coordinating = update.get("coordinating")
        current = relinked.get(task.pk, linked[task.pk])
        if coordinating is not None:
            coordinating = [d for d in coordinating if d.pk != task.lead_department_id]
            old_names = sorted(str(d) for d in current)
            new_names = sorted(str(d) for d in coordinating)
            if old_names != new_names:
                relinked[task.pk] = current = coordinating
                changes.append(
                    {"field": "đơn vị phối hợp", "old": ", ".join(old_names), "new": ", ".join(new_names)}
                )
        if changes:
            events.append(TaskEvent(task=task, kind=event_kind, actor=by, created_at=at, changes=changes))
        if not changes and not touched:
            continue
        try:
            _check_section(plan, task.section)
            _check_area(plan, task.area)
            _check_departments(plan, task.lead_department, current)
            task.sort_key = sort_key(task.number, task.section)
            task.search_text = search_text(task)
            task.updated_at = at
            task.full_clean(
                exclude=["sort_key", "search_text", "plan", "section", "area", "lead_department"],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            raise ValidationError(f"Nhiệm vụ {task.number}: {' '.join(error.messages)}") from error
        changed.append(task)
        # One UPDATE of the fields that changed: much cheaper than bulk_update's CASE per field and row.
        fields = {"sort_key", "search_text", "updated_at"} | touched
        Task.objects.filter(pk=task.pk).update(
            **{
                Task._meta.get_field(field).attname: getattr(task, Task._meta.get_field(field).attname)
                for field in fields
            }
        )
    TaskDeadline.objects.bulk_create(deadlines)
    Link.objects.filter(task_id__in=relinked).delete()
    Link.objects.bulk_create(
        Link(task_id=task_id, department_id=department.pk)
        for task_id, departments in relinked.items()
        for department in departments
    )
    Task.assignees.through.objects.filter(task_id__in=unassigned).delete()
    _changed(changed, events=events)
    for kind, signal in (
        (TaskEvent.Kind.DEADLINE, "deadline_changed"),
        (TaskEvent.Kind.LEAD, "lead_changed"),
    ):
        batch = [(event.task, event) for event in events if event.kind == kind]
        if batch:
            task_happened.send(Task, kind=signal, task=None, actor=by, target=None, batch=batch)
    asked = [
        (tasks[task_id], [d for d in departments if d.pk not in {old.pk for old in linked[task_id]}])
        for task_id, departments in relinked.items()
    ]
    if any(added for _task, added in asked):
        task_happened.send(Task, kind="contribution_asked", task=None, actor=by, target=None, batch=asked)
    return len(changed)


@transaction.atomic
def department_tasks_move(*, source: Department, target: Department, by: User, reason: str) -> int:
    """Move every task of a department merged into another (the agency administrator's merge): the
    tasks it leads get the target as lead with a "Đổi đơn vị chủ trì" event each, the ones it
    coordinates get the target instead (dropped where the target leads), and the names the imports
    remember for it point to the target. Its people move with it, so assignments stay. Returns how
    many tasks changed."""
    _require_right(
        administers_agency(by) and by.agency_id == source.agency_id,
        "Chỉ quản trị của cơ quan mới sáp nhập phòng, đơn vị.",
    )
    reason = _require_reason(reason)
    if source.agency_id != target.agency_id or source.pk == target.pk:
        raise ValidationError({"target": "Phòng nhận phải là một phòng khác của cùng cơ quan."})
    at = timezone.now()
    led = list(Task.objects.select_for_update().filter(lead_department=source).select_related("plan"))
    led_ids = {task.pk for task in led}
    Link = Task.coordinating_departments.through
    coordinated = set(Link.objects.filter(department=source).values_list("task_id", flat=True))
    target_linked = set(Link.objects.filter(department=target).values_list("task_id", flat=True))
    events = [
        TaskEvent(
            task=task,
            kind=TaskEvent.Kind.LEAD,
            actor=by,
            reason=reason,
            created_at=at,
            changes=[{"field": "đơn vị chủ trì", "old": str(source), "new": str(target)}],
        )
        for task in led
    ]
    Task.objects.filter(pk__in=led_ids).update(lead_department=target, updated_at=at)
    Link.objects.filter(task_id__in=led_ids, department=target).delete()  # the lead does not coordinate
    Link.objects.filter(department=source).delete()
    Link.objects.bulk_create(
        Link(task_id=task_id, department_id=target.pk) for task_id in coordinated - target_linked - led_ids
    )
    BodyName.objects.filter(department=source).update(department=target)
    tasks = list(Task.objects.filter(pk__in=led_ids | coordinated).select_related("plan"))
    if tasks:
        _changed(tasks, events=events)
    return len(tasks)
