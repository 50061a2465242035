"""The tasks of the bench's synthetic province and their history, written with bulk_create.

Every plan gets `Scale.tasks` tasks (about 60) with a year of progress reports, reviews and events;
the newest plan of S02 gets `Scale.huge_plan` (22,000) and that of the measured agency S01
`Scale.big_plan` tasks (1,000), among them about 30
open tasks of one staff member's department and task 1.1 with `Scale.busy_reports` reports (100). The
small control agency's plan has three tasks with one report each: the same pages measured on both show
whether a page's query count grows with the data.

The plans of the newest year are written in sections, as plans imported since sections came: one
section per reform area (I, II…) holding its tasks numbered 1.1, 1.2… as before; in the huge plan every
other area's section has sub-sections (II.1, II.2, II.3) whose tasks are numbered anew from 1. Older
plans have no section and keep their reform-area groups.

Services are too slow at this scale, so the rows are written directly, filled in the same way as
plans.services and tasks.services fill them (a section's depth and sort_key, a task's sort_key after its
section's, search_text, the first TaskDeadline, reported_on).
"""

import datetime
import functools
import random
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import Department, Role, User
from cchc.formatting import roman
from plans.models import Plan, PlanSection
from plans.services import section_sort_key
from tasks.deadlines import parse_deadline
from tasks.models import Evidence, ProgressUpdate, Task, TaskDeadline, TaskEvent
from tasks.services import search_text, sort_key

BUSY_NUMBER = "1.1"  # the task with many reports, measured on its detail page
MY_OPEN_TASKS = 30  # open tasks of the measured staff member's department in the big plan
MY_DONE_TASKS = 10
ROMAN = ["I", "II", "III", "IV"]

CONTENTS = [
    "Xây dựng, triển khai kế hoạch, báo cáo công tác cải cách hành chính",
    "Rà soát, hệ thống hóa văn bản quy phạm pháp luật thuộc lĩnh vực quản lý",
    "Rà soát, đánh giá, đơn giản hóa thủ tục hành chính",
    "Rà soát chức năng, nhiệm vụ, cơ cấu tổ chức của các phòng, đơn vị",
    "Đào tạo, bồi dưỡng, đánh giá, xếp loại công chức, viên chức",
    "Thực hiện cơ chế tự chủ tài chính, quy chế chi tiêu nội bộ",
    "Cung cấp dịch vụ công trực tuyến, số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
]
OUTPUTS = ["Báo cáo kết quả", "Kế hoạch được phê duyệt", "Quyết định ban hành", "Văn bản hướng dẫn"]
NARRATIVES = [
    "Đã triển khai, phân công công chức thực hiện.",
    "Đã xây dựng dự thảo, đang lấy ý kiến các phòng, đơn vị.",
    "Đã tiếp thu ý kiến, hoàn thiện dự thảo trình Lãnh đạo.",
    "Đã hoàn thành nhiệm vụ, trình duyệt kết quả.",
]
RETURN_REASON = "Bổ sung tài liệu kiểm chứng và số liệu tổng hợp."
# The sub-sections of the huge plan's sections that have some (every other reform area's).
SUB_SECTIONS = (
    "Triển khai văn bản của Trung ương, của tỉnh",
    "Nhiệm vụ trọng tâm của cơ quan",
    "Nhiệm vụ thường xuyên",
)


@dataclass
class People:
    """An agency's people as the task history needs them."""

    clerk: User
    heads: dict[int, User]
    staff: dict[int, list[User]]

    def reporter(self, department_id: int, rng: random.Random) -> User:
        return rng.choice(self.staff.get(department_id) or [self.heads.get(department_id) or self.clerk])

    def reviewer(self, department_id: int) -> User:
        return self.heads.get(department_id) or self.clerk


@dataclass
class Story:
    """What happened to one task: its state and the reports (day, percent, review, reviewed day)."""

    state: str = Task.State.NOT_STARTED
    reports: list[tuple] = field(default_factory=list)
    completed_on: datetime.date | None = None
    cancelled_on: datetime.date | None = None


class Deadlines:
    """Deadline texts as plans write them, parsed once each."""

    def __init__(self):
        self.parsed = {}

    def pick(self, rng: random.Random, year: int):
        roll = rng.random()
        month, day = rng.randint(2, 12), rng.randint(1, 28)
        if roll < 0.25:
            text = f"Quý {ROMAN[rng.randrange(4)]}/{year}"
        elif roll < 0.45:
            text = f"Tháng {month}/{year}"
        elif roll < 0.55:
            text = f"Trước {day}/{month}/{year}"
        elif roll < 0.62:
            text = f"6 tháng đầu năm {year}"
        elif roll < 0.72:
            text = f"Năm {year}"
        elif roll < 0.84:
            text = "Thường xuyên"
        elif roll < 0.90:
            text = "Hàng quý"
        else:
            text = f"{day:02d}/{month:02d}/{year}"
        return self.parse(text, year)

    def parse(self, text: str, year: int):
        if (text, year) not in self.parsed:
            self.parsed[(text, year)] = parse_deadline(text, year=year)
        return self.parsed[(text, year)]


def _spread(rng: random.Random, start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
    span = max((end - start).days, 0)
    return sorted(start + datetime.timedelta(days=rng.randint(0, span)) for _ in range(count))


def _percents(rng: random.Random, count: int, *, complete: bool) -> list[int]:
    """Rising percents; the last is 100 when the work is complete."""
    steps = sorted(rng.sample(range(5, 100), count))
    return [*steps[: count - 1], 100] if complete else steps


def story(rng: random.Random, due: datetime.date, year: int, today: datetime.date, force: str = "") -> Story:
    """A task's year up to yesterday: done on time or late, open (overdue or not), waiting for approval,
    cancelled or not started, in proportions that look like a real agency's; `force` asks for open or done."""
    cutoff = min(today - datetime.timedelta(days=1), datetime.date(year, 12, 31))
    start = min(datetime.date(year, 1, 20) + datetime.timedelta(days=rng.randint(0, 60)), due)
    start = max(start, datetime.date(year, 1, 2))
    if start > cutoff:
        return Story()
    roll = rng.random()
    if force == "done":
        outcome = "done"
    elif force == "open":
        outcome = "open" if roll < 0.8 else ("pending" if roll < 0.9 else "not_started")
    elif due <= cutoff:
        outcome = (
            "done"
            if roll < 0.82
            else "open"
            if roll < 0.95
            else "cancelled"
            if roll < 0.97
            else "not_started"
        )
    else:
        outcome = (
            "done" if roll < 0.35 else "open" if roll < 0.8 else "pending" if roll < 0.85 else "cancelled"
        )
        outcome = outcome if roll < 0.87 else "not_started"
    if outcome == "not_started":
        return Story()
    count = rng.randint(5, 14)
    if outcome == "done":
        if due <= cutoff:
            latest = due if rng.random() < 0.88 else min(due + datetime.timedelta(days=40), cutoff)
        else:
            latest = cutoff
        completed = start + datetime.timedelta(
            days=rng.randint(min(10, (latest - start).days), (latest - start).days)
        )
        if force == "done":
            completed = max(start, cutoff - datetime.timedelta(days=rng.randint(0, 20)))
        days = [*_spread(rng, start, completed, count - 1), completed]
        reports = [
            (day, pct, "", None) for day, pct in zip(days, _percents(rng, count, complete=True), strict=True)
        ]
        reviewed = min(completed + datetime.timedelta(days=rng.randint(0, 3)), cutoff)
        reports[-1] = (completed, 100, ProgressUpdate.Review.APPROVED, reviewed)
        if count > 2 and rng.random() < 0.1:
            day = reports[-2][0]
            reports[-2] = (day, 100, ProgressUpdate.Review.RETURNED, day)
        return Story(state=Task.State.COMPLETED, reports=reports, completed_on=completed)
    days = _spread(rng, start, cutoff, count)
    reports = [
        (day, pct, "", None) for day, pct in zip(days, _percents(rng, count, complete=False), strict=True)
    ]
    if outcome == "pending":
        reports[-1] = (reports[-1][0], 100, ProgressUpdate.Review.PENDING, None)
        return Story(state=Task.State.PENDING, reports=reports)
    if outcome == "cancelled":
        return Story(
            state=Task.State.CANCELLED, reports=reports[:2], cancelled_on=reports[min(2, count - 1)][0]
        )
    return Story(state=Task.State.IN_PROGRESS, reports=reports)


def busy_story(rng: random.Random, year: int, today: datetime.date, count: int) -> Story:
    """Task 1.1 of the measured plan: weekly reports all year, a few completions returned, still open."""
    cutoff = min(today - datetime.timedelta(days=1), datetime.date(year, 12, 31))
    days = _spread(rng, datetime.date(year, 1, 5), cutoff, count)
    reports = []
    for index, day in enumerate(days):
        if index % 20 == 19:
            reports.append((day, 100, ProgressUpdate.Review.RETURNED, day))
        else:
            reports.append((day, min(95, 5 + index * 90 // count), "", None))
    return Story(state=Task.State.IN_PROGRESS, reports=reports)


@functools.cache
def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    """That day at that hour in the project's time zone (cached: a year has few days, the rows many)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@functools.cache
def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


class Writer:
    """Collects the rows of every table and writes each table with one bulk_create."""

    def __init__(self, rng: random.Random, today: datetime.date):
        self.rng, self.today = rng, today
        self.deadlines = Deadlines()
        self.tasks: list[Task] = []
        self.stories: list[Story] = []
        self.coordinating: list[list[int]] = []
        self.assignees: list[list[int]] = []
        self.people: dict[int, People] = {}

    def add(
        self,
        plan: Plan,
        number: str,
        area,
        lead: Department,
        others: list[Department],
        *,
        section: PlanSection | None = None,
        force="",
        due=None,
    ):
        rng = self.rng
        deadline = self.deadlines.parse(due, plan.year) if due else self.deadlines.pick(rng, plan.year)
        task = Task(
            plan=plan,
            section=section,
            area=area,
            number=number,
            sort_key=sort_key(number, section),
            content=f"{CONTENTS[area.position % len(CONTENTS)]} (nhiệm vụ {number})",
            lead_department=lead,
            start_date=plan.issued_on,
            deadline_text=deadline.text,
            deadline_kind=deadline.kind,
            due_date=deadline.due_date,
            expected_output=rng.choice(OUTPUTS),
            notes="Dữ liệu tổng hợp cho bench.",
        )
        task.search_text = search_text(task)
        self.tasks.append(task)
        self.stories.append(story(rng, deadline.due_date, plan.year, self.today, force))
        self.coordinating.append([d.pk for d in rng.sample(others, min(len(others), rng.randint(0, 2)))])
        self.assignees.append([])
        return len(self.tasks) - 1

    def plan_tasks(self, plan: Plan, areas, departments: list[Department], count: int, sections=None) -> None:
        """`count` tasks shared out between the areas in order; with `sections` ({area id: the sections
        its tasks go in}, as plan_sections gives them), in the area's section, numbered 1.1, 1.2… or,
        shared out between its sub-sections, numbered anew from 1 in each."""
        per_area = -(-count // len(areas))
        for index in range(count):
            area = areas[index // per_area]
            within = index % per_area
            number, section = f"{area.position + 1}.{within + 1}", None
            if sections:
                groups = sections[area.pk]
                section = groups[0]
                if len(groups) > 1:
                    per_group = -(-per_area // len(groups))
                    section, number = groups[within // per_group], str(within % per_group + 1)
            lead = self.rng.choice(departments)
            others = [d for d in departments if d.pk != lead.pk]
            self.add(plan, number, area, lead, others, section=section)

    def write(self) -> None:
        """Every table in dependency order; primary keys come back from bulk_create (RETURNING)."""
        for task, story in zip(self.tasks, self.stories, strict=True):
            if story.reports:
                last = story.reports[-1]
                task.percent = 100 if story.state == Task.State.COMPLETED else last[1]
                task.last_report_at = _at(last[0])
            task.state, task.completed_on = story.state, story.completed_on
            task.cancelled_at = _at(story.cancelled_on, 16) if story.cancelled_on else None
        Task.objects.bulk_create(self.tasks, batch_size=500)
        TaskDeadline.objects.bulk_create(
            (
                TaskDeadline(
                    task=task,
                    deadline_text=task.deadline_text,
                    deadline_kind=task.deadline_kind,
                    due_date=task.due_date,
                )
                for task in self.tasks
            ),
            batch_size=1000,
        )
        Coordinating = Task.coordinating_departments.through
        Coordinating.objects.bulk_create(
            (
                Coordinating(task_id=task.pk, department_id=department_id)
                for task, ids in zip(self.tasks, self.coordinating, strict=True)
                for department_id in ids
            ),
            batch_size=1000,
        )
        Assignee = Task.assignees.through
        Assignee.objects.bulk_create(
            Assignee(task_id=task.pk, user_id=user_id)
            for task, ids in zip(self.tasks, self.assignees, strict=True)
            for user_id in ids
        )
        self.write_reports()

    def write_reports(self) -> None:
        reports, events = [], []
        for task, story in zip(self.tasks, self.stories, strict=True):
            people = self.people[task.plan.agency_id]
            created = _at(task.plan.issued_on, 8)
            events.append(
                TaskEvent(task=task, kind=TaskEvent.Kind.CREATED, actor=people.clerk, created_at=created)
            )
            for day, percent, review, reviewed_on in story.reports:
                reported_at = _at(day)
                report = ProgressUpdate(
                    task=task,
                    reported_by=people.reporter(task.lead_department_id, self.rng),
                    reported_at=reported_at,
                    reported_on=_local_date(reported_at),
                    percent=percent,
                    narrative=NARRATIVES[min(percent // 30, 3)],
                    result="Báo cáo kết quả thực hiện nhiệm vụ." if percent == 100 else "",
                    review=review,
                )
                if reviewed_on:
                    report.reviewed_by = people.reviewer(task.lead_department_id)
                    report.reviewed_at = max(_at(reviewed_on, 15), reported_at)
                    kind = (
                        TaskEvent.Kind.APPROVED
                        if review == ProgressUpdate.Review.APPROVED
                        else TaskEvent.Kind.RETURNED
                    )
                    if kind == TaskEvent.Kind.RETURNED:
                        report.return_reason = RETURN_REASON
                    events.append(
                        TaskEvent(
                            task=task, kind=kind, actor=report.reviewed_by, created_at=report.reviewed_at
                        )
                    )
                reports.append(report)
            if story.cancelled_on:
                events.append(
                    TaskEvent(
                        task=task,
                        kind=TaskEvent.Kind.CANCELLED,
                        actor=people.clerk,
                        created_at=task.cancelled_at,
                    )
                )
        ProgressUpdate.objects.bulk_create(reports, batch_size=1000)
        TaskEvent.objects.bulk_create(events, batch_size=1000)

    def evidence_for(self, tasks: list[Task]) -> None:
        """One evidence row per report of these tasks (the measured detail pages list them); the files
        themselves are never opened by the pages measured, so none is written to disk."""
        rows = [
            Evidence(
                task_id=report.task_id,
                report=report,
                stored_name=f"bench{report.pk:012d}.pdf",
                original_name=f"Tài liệu kiểm chứng báo cáo {index + 1}.pdf",
                content_type="application/pdf",
                size=120_000,
                uploaded_by_id=report.reported_by_id,
            )
            for index, report in enumerate(ProgressUpdate.objects.filter(task__in=tasks).order_by("pk"))
        ]
        Evidence.objects.bulk_create(rows, batch_size=1000)


def plan_sections(plans: list[Plan], areas: dict, huge_plan: Plan | None) -> dict[int, dict[int, list]]:
    """The sections of `plans`, written with two bulk_creates: one top section per reform area, and
    in the huge plan three sub-sections under every other area's. For each plan, {area id: the
    sections its tasks go in}: the top section, or its sub-sections when it has some."""
    tops = [
        PlanSection(
            plan=plan,
            label=roman(area.position + 1),
            title=area.name,
            area=area,
            position=area.position + 1,
            depth=0,
            sort_key=section_sort_key(None, area.position + 1),
        )
        for plan in plans
        for area in areas[plan.area_set_id]
    ]
    PlanSection.objects.bulk_create(tops)
    subs = [
        PlanSection(
            plan=top.plan,
            parent=top,
            label=f"{top.label}.{position}",
            title=title,
            position=position,
            depth=1,
            sort_key=section_sort_key(top, position),
        )
        for top in tops
        if huge_plan is not None and top.plan_id == huge_plan.pk and top.area.position % 2 == 1
        for position, title in enumerate(SUB_SECTIONS, start=1)
    ]
    PlanSection.objects.bulk_create(subs)
    groups: dict[int, dict[int, list]] = {}
    for top in tops:
        groups.setdefault(top.plan_id, {})[top.area_id] = [top]
    for sub in subs:
        chosen = groups[sub.plan_id][sub.parent.area_id]
        if chosen[0].depth == 0:
            chosen.clear()
        chosen.append(sub)
    return groups


def people_of(agency_ids) -> dict[int, People]:
    people: dict[int, People] = {}
    for user in User.objects.filter(agency_id__in=agency_ids).order_by("pk"):
        entry = people.setdefault(user.agency_id, People(clerk=None, heads={}, staff={}))
        if user.role == Role.CLERK and entry.clerk is None:
            entry.clerk = user
        elif user.role == Role.DEPT_HEAD:
            entry.heads.setdefault(user.department_id, user)
        elif user.role == Role.STAFF:
            entry.staff.setdefault(user.department_id, []).append(user)
    return people


def build(
    *, plans: list[Plan], scene_plan: Plan, small_plan: Plan, huge_plan: Plan | None, scale, seed: int
) -> None:
    """Tasks and history for every plan; the measured plan and the control plan get their special rows,
    the huge plan Scale.huge_plan tasks."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    writer = Writer(rng, timezone.localdate())
    writer.people = people_of({plan.agency_id for plan in plans})
    departments: dict[int, list[Department]] = {}
    for department in Department.objects.filter(agency_id__in=writer.people).order_by("position"):
        departments.setdefault(department.agency_id, []).append(department)
    areas = {}
    for plan in plans:
        if plan.area_set_id not in areas:
            areas[plan.area_set_id] = list(plan.area_set.areas.order_by("position"))
    newest = max(plan.year for plan in plans)
    sections = plan_sections([plan for plan in plans if plan.year == newest], areas, huge_plan)

    for plan in plans:
        if plan.pk in (scene_plan.pk, small_plan.pk):
            continue
        count = scale.huge_plan if huge_plan and plan.pk == huge_plan.pk and scale.huge_plan else scale.tasks
        writer.plan_tasks(
            plan, areas[plan.area_set_id], departments[plan.agency_id], count, sections.get(plan.pk)
        )

    # The measured plan: a staff member's department leads task 1.1 (many reports), about 30 open
    # tasks and 10 recently completed ones; the other departments share the rest.
    people = writer.people[scene_plan.agency_id]
    me = measured_staff(people, departments[scene_plan.agency_id])
    mine = next(d for d in departments[scene_plan.agency_id] if d.pk == me.department_id)
    others = [d for d in departments[scene_plan.agency_id] if d.pk != mine.pk] or [mine]
    first = len(writer.tasks)
    writer.plan_tasks(
        scene_plan, areas[scene_plan.area_set_id], others, scale.big_plan, sections.get(scene_plan.pk)
    )
    chosen = range(first, first + min(scale.big_plan, MY_OPEN_TASKS + MY_DONE_TASKS))
    for offset, index in enumerate(chosen):
        task = writer.tasks[index]
        task.lead_department = mine
        force = "open" if offset < MY_OPEN_TASKS else "done"
        writer.stories[index] = story(rng, task.due_date, scene_plan.year, writer.today, force)
        writer.coordinating[index] = [d.pk for d in others[:2] if d.pk != mine.pk]
        if offset % 3 == 0:
            writer.assignees[index] = [me.pk]
    busy = writer.tasks[first]
    if busy.number != BUSY_NUMBER:
        raise ValueError(f"The measured task should be number {BUSY_NUMBER}, not {busy.number}.")
    deadline = writer.deadlines.parse(f"Quý I/{scene_plan.year}", scene_plan.year)
    busy.deadline_text, busy.deadline_kind, busy.due_date = deadline.text, deadline.kind, deadline.due_date
    writer.stories[first] = busy_story(rng, scene_plan.year, writer.today, scale.busy_reports)
    writer.assignees[first] = [me.pk]

    # The control plan: one department, an open task with one report, one completed recently and one
    # waiting for approval.
    small_department = departments[small_plan.agency_id][0]
    small_area = areas[small_plan.area_set_id][1]
    small_section = sections.get(small_plan.pk, {}).get(small_area.pk, [None])[0]
    reporter = measured_staff(writer.people[small_plan.agency_id], [small_department])
    yesterday = writer.today - datetime.timedelta(days=1)
    stories = [
        Story(state=Task.State.IN_PROGRESS, reports=[(yesterday, 40, "", None)]),
        Story(
            state=Task.State.COMPLETED,
            reports=[(yesterday, 100, ProgressUpdate.Review.APPROVED, yesterday)],
            completed_on=yesterday,
        ),
        # waiting for the head's approval: the department page's queue is not empty either
        Story(state=Task.State.PENDING, reports=[(yesterday, 100, ProgressUpdate.Review.PENDING, None)]),
    ]
    for number, story_ in zip((BUSY_NUMBER, "1.2", "1.3"), stories, strict=True):
        index = writer.add(
            small_plan,
            number,
            small_area,
            small_department,
            [],
            section=small_section,
            due=f"Quý I/{small_plan.year}",
        )
        writer.stories[index] = story_
        writer.assignees[index] = [reporter.pk]
    writer.write()
    writer.evidence_for([busy, *writer.tasks[-3:]])


def measured_staff(people: People, departments: list[Department]) -> User:
    """The staff member whose pages are measured: staff of the eighth department when there is one,
    else of the first department with staff, else a department head."""
    preferred = sorted(departments, key=lambda d: (d.position != 8, d.position))
    for department in preferred:
        if people.staff.get(department.pk):
            return people.staff[department.pk][0]
    return next(people.heads[d.pk] for d in preferred if d.pk in people.heads)


def expected_tasks(scale) -> int:
    huge = scale.huge_plan - scale.tasks if scale.agencies >= 2 and scale.huge_plan else 0
    return (scale.agencies * scale.years - 1) * scale.tasks + scale.big_plan + 3 + huge
