"""Next year's draft plan made from this year's: the chosen tasks, their deadlines of the old year moved
by a year (those that run on into the new year kept as written), the reform areas of the new year's
programme, and a record on both plans of where it came from."""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F

from accounts.models import User
from accounts.services import bulk_write
from cchc.text import fold
from plans import services as plan_services
from plans.models import Plan, ReformArea, ReformAreaSet
from tasks import services as task_services
from tasks.deadlines import DeadlineError, parse_deadline
from tasks.models import Task

YEAR_TOKEN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
SHORT_YEAR_DATE = re.compile(r"(?<!\d)(\d{1,2}[/.-]\d{1,2}[/.-])(\d{2})(?!\d)")
CARRIED_ON = (Task.Kind.ONGOING, Task.Kind.YEARLY, Task.Kind.QUARTERLY, Task.Kind.MONTHLY)


def shift_year(text: str, years: int = 1) -> str:
    """Every year written in `text` moved by `years`: 'Quý II/2019' → 'Quý II/2020',
    'Trước 15/3/2019' → 'Trước 15/3/2020', '15/3/19' → '15/3/20'; text without a year is unchanged.
    Every year, spans too ('Năm 2025-2030' → 'Năm 2026-2031'): proposed_deadline decides which
    deadlines move."""
    shifted = YEAR_TOKEN.sub(lambda m: str(int(m.group(1)) + years), text)
    return SHORT_YEAR_DATE.sub(lambda m: f"{m.group(1)}{(int(m.group(2)) + years) % 100:02d}", shifted)


def shift_date(day: datetime.date | None, years: int = 1) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Candidate:
    """A task of the old plan as offered for the new one."""

    task: Task
    new_deadline: str
    deadline_error: str
    preselected: bool
    new_area: ReformArea | None


def proposed_deadline(task: Task, new_year: int) -> tuple[str, str]:
    """(new deadline text, error). A deadline that still runs in the new year stays as written: a span or
    a target year not yet reached ("Giai đoạn 2026–2030", "Đến năm 2030"), work carried on ("Từ năm
    2026") and recurring work without a year ("Thường xuyên", "trước ngày 15/11 hằng năm"). One of the
    old year has its years moved on ("Quý II/2019" → "Quý II/2020"), checked by tasks.deadlines. A text
    that does not read (29/2 in a common year, a deadline the plan left unset) comes back empty with the
    reason."""
    text = task.deadline_text
    try:
        if parse_deadline(text, year=new_year).due_date.year >= new_year:
            return text, ""
    except DeadlineError:
        pass  # refused below, with the reason, once its years are moved
    if not text.strip():
        return "", "Nhiệm vụ chưa có thời hạn. Nhập thời hạn mới."
    moved = shift_year(text, new_year - task.plan.year)
    try:
        parse_deadline(moved, year=new_year)
    except DeadlineError as error:
        return "", f"Không tự chuyển được “{text}”: {error} Nhập thời hạn mới."
    return moved, ""


def proposed_start(task: Task, new_year: int) -> datetime.date | None:
    """The new task's start date: None when the old one was the start its deadline gave (the new
    deadline then gives its own: 1/1/2026 again for a kept "Giai đoạn 2026–2030"), else the old
    start date a year on."""
    try:
        given = parse_deadline(task.deadline_text, year=task.plan.year).start
    except DeadlineError:
        given = None
    if given is not None and task.start_date == given:
        return None
    return shift_date(task.start_date, new_year - task.plan.year)


@dataclass(frozen=True)
class AreaPair:
    old: ReformArea
    new: ReformArea | None
    same_name: bool


def area_pairs(old_set: ReformAreaSet, new_set: ReformAreaSet | None) -> list[AreaPair]:
    """Each old area with the new year's area its tasks go to: the area of the same name (ignoring
    case and diacritics), else the one at the same position. Within one set every area maps to itself."""
    old_areas = list(ReformArea.objects.filter(area_set=old_set).order_by("position"))
    if new_set is None:
        return [AreaPair(area, None, False) for area in old_areas]
    if new_set.pk == old_set.pk:
        return [AreaPair(area, area, True) for area in old_areas]
    new_areas = list(ReformArea.objects.filter(area_set=new_set).order_by("position"))
    by_name = {fold(area.name): area for area in new_areas}
    by_position = {area.position: area for area in new_areas}
    pairs = []
    for area in old_areas:
        same = by_name.get(fold(area.name))
        pairs.append(AreaPair(area, same or by_position.get(area.position), same is not None))
    return pairs


def area_mapping(old_set: ReformAreaSet, new_set: ReformAreaSet | None) -> dict[int, ReformArea | None]:
    return {pair.old.pk: pair.new for pair in area_pairs(old_set, new_set)}


def is_preselected(task: Task) -> bool:
    """Ongoing and recurring tasks carry on every year; unfinished ones carry over. Cancelled ones do not."""
    if task.state == Task.State.CANCELLED:
        return False
    return task.deadline_kind in CARRIED_ON or task.state != Task.State.COMPLETED


def candidates(plan: Plan, pairs: Sequence[AreaPair]) -> list[Candidate]:
    """The plan's tasks in its order, each with its proposed deadline, new area and preselection."""
    mapping = {pair.old.pk: pair.new for pair in pairs}
    tasks = (
        plan.tasks.select_related("plan", "area", "lead_department", "section")
        .prefetch_related("coordinating_departments", "assignees")
        .order_by(F("section__sort_key").asc(nulls_last=True), "area__position", "sort_key")
    )
    rows = []
    for task in tasks:
        deadline, error = proposed_deadline(task, plan.year + 1)
        rows.append(Candidate(task, deadline, error, is_preselected(task), mapping.get(task.area_id)))
    return rows


def next_free_number(plan: Plan, issued_on: datetime.date) -> int:
    last = (
        Plan.objects.filter(agency_id=plan.agency_id, issued_on__year=issued_on.year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


def default_issue_date(plan: Plan, today: datetime.date) -> datetime.date:
    """Today when it can be the new plan's date (within a year of it), else 15 January of the new year."""
    new_year = plan.year + 1
    return today if abs(today.year - new_year) <= 1 else datetime.date(new_year, 1, 15)


def copy_sections(plan: Plan, new_plan: Plan, *, by: User, mapping: dict) -> dict[int, object]:
    """The old plan's sections as written, in the new plan, their areas mapped to the new year's set;
    maps each old section's id to its copy."""
    copies: dict[int, object] = {}
    for section in plan.sections.order_by("sort_key"):  # a parent's key starts its children's
        copies[section.pk] = plan_services.section_create(
            plan=new_plan,
            by=by,
            label=section.label,
            title=section.title,
            parent=copies.get(section.parent_id),
            area=mapping.get(section.area_id),
            position=section.position,
        )
    return copies


@bulk_write()
def plan_rollover(
    *,
    plan: Plan,
    by: User,
    number: int,
    issued_on: datetime.date,
    title: str,
    tasks: Sequence[tuple[Task, str]],
) -> Plan:
    """Create next year's draft plan from `plan` with `tasks` ((task, new deadline text) pairs).

    The header is copied (symbol, place, legal bases, purpose, requirements, arrangements, signer,
    recipients), not the plan it implements, which changes every year. Each task keeps its number,
    content, departments and the people still in its lead department. Both plans record the link in
    their history. One transaction (bulk_write: the agency's data counted as changed once): a refused
    task leaves no half-made plan.
    """
    new_year = plan.year + 1
    new_set = ReformAreaSet.for_year(new_year)
    if new_set is None:
        raise ValidationError(f"Chưa có bộ lĩnh vực CCHC cho năm {new_year}; báo quản trị hệ thống.")
    new_plan = plan_services.plan_create(
        agency=plan.agency,
        by=by,
        legal_bases=[
            link.document for link in plan.basis_links.select_related("document").order_by("position")
        ],
        number=number,
        symbol=plan.symbol,
        issued_on=issued_on,
        place_name=plan.place_name,
        year=new_year,
        title=title,
        purpose=plan.purpose,
        requirements=plan.requirements,
        arrangements=plan.arrangements,
        signing_authority=plan.signing_authority,
        authority_title=plan.authority_title,
        signer_position=plan.signer_position,
        signer_name=plan.signer_name,
        recipients=plan.recipients,
    )
    mapping = area_mapping(plan.area_set, new_set)
    sections = copy_sections(plan, new_plan, by=by, mapping=mapping)
    source = f"Kế hoạch số {plan.number_symbol} ngày {plan.issued_on:%d/%m/%Y}"
    for task, deadline_text in tasks:
        if task.plan_id != plan.pk:
            raise ValidationError(f"Nhiệm vụ {task.number} không thuộc {plan}.")
        if task.area_id is not None and mapping.get(task.area_id) is None:
            raise ValidationError(
                f"Nhiệm vụ {task.number}: lĩnh vực “{task.area}” không có trong bộ lĩnh vực năm {new_year}."
            )
        try:
            task_services.task_create(
                plan=new_plan,
                by=by,
                number=task.number,
                section=sections.get(task.section_id),
                area=mapping.get(task.area_id),
                content=task.content,
                details=task.details,
                lead_department=task.lead_department,
                lead_name=task.lead_name,
                outside_coordinators=task.outside_coordinators,
                coordinating_departments=list(task.coordinating_departments.all()),
                assignees=[
                    user for user in task.assignees.all() if user.department_id == task.lead_department_id
                ],
                deadline_text=deadline_text,
                start_date=proposed_start(task, new_year),
                expected_output=task.expected_output,
                notes=task.notes,
            )
        except ValidationError as error:
            raise ValidationError(f"Nhiệm vụ {task.number}: {' '.join(error.messages)}") from error
    plan_services.record_change(
        plan=new_plan,
        by=by,
        action=f"Tạo từ Kế hoạch số {plan.number_symbol}",
        changes=[
            {"field": "kế hoạch năm trước", "old": "", "new": source},
            {"field": "nhiệm vụ chuyển sang", "old": "", "new": str(len(tasks))},
        ],
    )
    plan_services.record_change(
        plan=plan,
        by=by,
        action=f"Chuyển sang năm {new_year}: Kế hoạch số {new_plan.number_symbol} (dự thảo)",
        changes=[{"field": "kế hoạch năm sau", "old": "", "new": f"Kế hoạch số {new_plan.number_symbol}"}],
    )
    return new_plan
