"""Reads shared by the task lists: which tasks, their status on the list's date, in which order, and
one shape for every row.

Every list (the plan's task table, "Việc của tôi", the department page) starts from listed(): the tasks
with their status on the list's date (tasks.status.with_status, the one rule) and the date that
matters next. It filters (tasks.filters), counts and orders on those in the database, then reads the
rows of one page with task_rows: one values() query whatever the size of the list, plus one for the
coordinating departments or the assignees when the list shows them.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from cchc import formatting, periods
from plans.models import Plan
from tasks.deadlines import Deadline
from tasks.models import ProgressUpdate, Task
from tasks.status import BADGES, COMPLETED, OPEN, Badge, Status, end_of_day, with_status

# The workflow states of a task still in hand (the lists themselves go by tasks.status.OPEN).
OPEN_STATES = (Task.State.NOT_STARTED, Task.State.IN_PROGRESS, Task.State.PENDING)
PERIODIC_KINDS = (Task.Kind.ONGOING, Task.Kind.QUARTERLY, Task.Kind.MONTHLY)
URGENT_DAYS = 7  # a row counting down this many days or fewer is marked in colour
SUMMARY_LENGTH = 220  # characters of a task's content a list shows

# Filter values that stand for several statuses at once: the dashboard's figures that are unions.
DONE_GROUP, DUE_GROUP, ACTIVE_GROUP = "done", "due", "active"
STATUS_GROUPS = [
    (DONE_GROUP, "Đã hoàn thành (đúng hạn và quá hạn)"),
    (DUE_GROUP, "Đã đến hạn tại ngày xem (trừ đã hủy)"),
    (ACTIVE_GROUP, "Mọi nhiệm vụ trừ đã hủy"),
]


def live_plans(today: datetime.date):
    """Plans whose tasks are work in hand: issued and not yet closed (a draft assigns nothing yet), of
    this year or the last (in January last year's leftovers still matter; older plans are history)."""
    return Plan.objects.filter(status=Plan.Status.ISSUED, year__gte=today.year - 1)


def next_date(as_of: datetime.date):
    """In SQL, the date that matters next for a task on `as_of`: its due date, or for an ongoing or
    recurring task the next reporting date of its year (the rule of Deadline.next_report_date)."""
    whens = []
    for kind in PERIODIC_KINDS:
        for year in (as_of.year, as_of.year + 1):  # earlier years have no report date left
            upcoming = [
                day for day in Deadline("", datetime.date(year, 12, 31), kind).report_dates() if day >= as_of
            ]
            if upcoming:
                whens.append(When(deadline_kind=kind, due_date__year=year, then=Value(upcoming[0])))
    return Case(*whens, default=F("due_date"), output_field=DateField())


@lru_cache(maxsize=32)
def _all_listed(as_of: datetime.date, today: datetime.date):
    """Every task annotated as listed() annotates them, built once per date and never evaluated itself:
    Django takes longer to build these expressions than the database takes to compute them. (`today`
    is part of the key: with_status reads today's columns, earlier dates the history.)"""
    return with_status(Task.objects.all(), as_of).annotate(next_on=next_date(as_of))


def listed(queryset, as_of: datetime.date):
    """The tasks of `queryset` (filters of tasks, nothing annotated) on `as_of`: their status and the
    facts it rests on (tasks.status.with_status: status, due_on, done_on) and the date that matters
    next (next_on), ready to filter, count, order. The SQL is that of annotating `queryset` itself."""
    return _all_listed(as_of, timezone.localdate()) & queryset


def urgency_order(tasks):
    """Listed tasks overdue first (the longest overdue on top), then by the next date (those with no
    deadline set last), plan and number."""
    overdue_first = ExpressionWrapper(~Q(status=Status.OPEN_OVERDUE), output_field=BooleanField())
    return tasks.annotate(overdue_first=overdue_first).order_by(
        "overdue_first", F("next_on").asc(nulls_last=True), "plan_id", "sort_key"
    )


def of_status(tasks, status: str, as_of: datetime.date):
    """Listed tasks of one status on `as_of`, or of one of the STATUS_GROUPS."""
    if status == DONE_GROUP:
        return tasks.filter(status__in=COMPLETED)
    if status == DUE_GROUP:
        return tasks.filter(due_on__lte=as_of).exclude(status=Status.CANCELLED)
    if status == ACTIVE_GROUP:
        return tasks.exclude(status=Status.CANCELLED)
    return tasks.filter(status=status)


def due_within(tasks, days: int, as_of: datetime.date):
    """Listed tasks still open whose deadline falls within `days` days of `as_of` (not those overdue);
    with settings.DUE_SOON_DAYS, the due-soon rule of cchc.periods."""
    horizon = periods.due_soon_until(as_of, days=days)
    return tasks.filter(status__in=OPEN, due_on__gte=as_of, due_on__lte=horizon)


def _shown(day: datetime.date | None) -> str:
    return formatting.short_date(day) if day else ""


def _shortened(text: str, length: int) -> str:
    """`text` cut to `length` characters with an ellipsis, as the truncatechars filter cuts it; a
    shorter text (most are) is kept without counting its characters one by one."""
    return text if len(text) <= length else Truncator(text).chars(length)


@dataclass
class TaskRow:
    """A task as every list shows it (templates/tasks/_task_rows.html), on the list's date."""

    pk: int
    number: str
    content: str
    summary: str  # the content as the lists show it: cut to SUMMARY_LENGTH characters
    plan_id: int
    plan_label: str
    section_id: int | None
    area_id: int | None
    area_position: int | None
    area_name: str | None
    lead_department_id: int
    lead_department_name: str
    lead_name: str  # the outside body that leads, as the plan writes it (Task.lead_name), or ""
    outside_coordinators: list[str]  # outside coordinating bodies, as written
    deadline_text: str
    is_periodic: bool
    state: str  # the workflow state today (Task.State): a completion waiting, a report returned
    status: str  # tasks.status.Status on the list's date
    due_on: datetime.date | None  # the deadline in force on that date; None: not set
    done_on: datetime.date | None
    next_date: datetime.date | None  # the deadline, or for an open periodic task the next reporting date
    days_left: int | None  # from the list's date to next_date, for open tasks
    percent: int
    return_reason: str
    url: str  # the task page
    # The dates as shown (dd/mm/yyyy), written once here rather than by a filter in every row.
    due_text: str
    next_text: str
    done_text: str
    assigned_to_me: bool = False
    coordinating: list[str] = field(default_factory=list)
    assignees: list[tuple[int, str]] = field(default_factory=list)  # (user id, full name)
    assign_url: str = ""  # the head's assignment form, on the lists that show it
    # The plan table's groups (table_groups): the heading rows shown before this row, and the keys of
    # every group the row is in, which the page's script hides it by when one is folded.
    headings: list["GroupHeading"] = field(default_factory=list)
    group_keys: str = ""

    def __getitem__(self, name: str):
        # Django's templates look `task.number` up as task["number"] first and fall back on the
        # attribute when that raises: answering it spares an exception for each of the ~60 lookups of
        # every row of tasks/_task_rows.html (a tenth of a list's rendering).
        return getattr(self, name)

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.OPEN_OVERDUE

    @property
    def lead_display(self) -> str:
        """The lead as the plan names it: the outside body, or the department (Task.lead_display)."""
        return self.lead_name or self.lead_department_name

    @property
    def is_done(self) -> bool:
        return self.status in COMPLETED

    @property
    def badge(self) -> Badge:
        return BADGES[self.status]

    @property
    def shows_report_date(self) -> bool:
        """An open ongoing or recurring task, not overdue, is shown with its next reporting date."""
        return self.is_periodic and self.days_left is not None and not self.is_overdue

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    @property
    def urgency(self) -> str:
        """How near an open task's next date is (templates/tasks/_task_dates.html words and colours
        it): "overdue", "today", "soon" (within URGENT_DAYS), "later"; "" when there is nothing to say
        (a task no longer open, a reporting date just passed)."""
        if self.days_left is None:
            return ""
        if self.is_overdue:
            return "overdue"
        if self.days_left == 0:
            return "today"
        if self.days_left < 0:
            return ""
        return "soon" if self.days_left <= URGENT_DAYS else "later"

    @cached_property
    def assignee_ids(self) -> set[int]:
        return {pk for pk, _name in self.assignees}

    @classmethod
    def from_values(cls, values: dict, as_of: datetime.date, url: str) -> "TaskRow":
        status, due_on, done_on = values["status"], values["due_on"], values["done_on"]
        is_open = status in OPEN
        is_periodic = values["deadline_kind"] not in (Task.Kind.ONCE, Task.Kind.UNSET)
        upcoming = values["next_on"] if is_periodic and status != Status.OPEN_OVERDUE else due_on
        next_date = upcoming if is_open else due_on
        outside = values["outside_coordinators"]
        return cls(
            pk=values["pk"],
            number=values["number"],
            content=values["content"],
            summary=_shortened(values["content"], SUMMARY_LENGTH),
            plan_id=values["plan_id"],
            plan_label=formatting.document_number(values["plan__number"], values["plan__symbol"]),
            section_id=values["section_id"],
            area_id=values["area_id"],
            area_position=values["area__position"],
            area_name=values["area__name"],
            lead_department_id=values["lead_department_id"],
            lead_department_name=values["lead_department__name"],
            lead_name=values["lead_name"],
            outside_coordinators=[name.strip() for name in outside.split(";") if name.strip()]
            if outside
            else [],
            deadline_text=values["deadline_text"],
            is_periodic=is_periodic,
            state=values["state"],
            status=status,
            due_on=due_on,
            done_on=done_on,
            next_date=next_date,
            days_left=(upcoming - as_of).days if is_open and upcoming else None,
            percent=100 if status in COMPLETED else values["percent_on"],
            return_reason=values["return_reason"] or "",
            url=url,
            due_text=_shown(due_on),
            next_text=_shown(next_date),
            done_text=_shown(done_on),
            assigned_to_me=values.get("assigned_to_me", False),
        )


ROW_FIELDS = (
    "pk",
    "number",
    "content",
    "plan_id",
    "plan__number",
    "plan__symbol",
    "section_id",
    "area_id",
    "area__position",
    "area__name",
    "lead_department_id",
    "lead_department__name",
    "lead_name",
    "outside_coordinators",
    "deadline_text",
    "deadline_kind",
    "state",
    "status",
    "due_on",
    "done_on",
    "next_on",
    "percent_on",
    "return_reason",
)


def task_urls(name: str):
    """The address of a task under the URL `name` ("tasks:detail"), for each row of a list: reversed
    once with a stand-in id, each row's id put in its place (one reverse() for each of 50 rows cost
    more than the rest of the row)."""
    head, _, tail = reverse(name, args=[0]).rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


def assigned_to(user):
    """In SQL, whether the outer task is assigned to `user`."""
    return Exists(Task.assignees.through.objects.filter(task_id=OuterRef("pk"), user_id=user.pk))


def task_rows(
    ordered,
    window: slice,
    as_of: datetime.date,
    *,
    coordinating: bool = False,
    assignees: bool = False,
    for_user=None,
) -> list[TaskRow]:
    """The rows of `window` (a page) of the listed, ordered tasks `ordered`, in one query (also when
    there are none), with the progress reported by `as_of` and why their latest report was returned:
    for today the task's own columns, which the services keep in step; for an earlier date the history.
    `coordinating`: with the names of the coordinating departments, then those of the outside bodies
    as written (no query for those); `assignees`: with who is assigned
    and the address of the assignment form (one more query each); `for_user`: each row says whether
    the task is assigned to that user."""
    if as_of >= timezone.localdate():
        page = ordered.annotate(percent_on=F("percent"), return_reason=F("returned_reason"))
    else:
        cutoff = end_of_day(as_of)
        latest = ProgressUpdate.objects.filter(task=OuterRef("pk"), reported_at__lt=cutoff)
        latest = latest.order_by("-reported_at", "-pk")
        returned = Q(review=ProgressUpdate.Review.RETURNED, reviewed_at__lt=cutoff)
        # The percent of the latest report not returned by then; why the latest was, if it was.
        page = ordered.annotate(
            percent_on=Coalesce(
                Subquery(latest.exclude(returned).values("percent")[:1]), 0, output_field=IntegerField()
            ),
            return_reason=Subquery(
                latest.annotate(
                    reason_then=Case(
                        When(returned, then=F("return_reason")), default=Value(""), output_field=TextField()
                    )
                ).values("reason_then")[:1]
            ),
        )
    names = ROW_FIELDS
    if for_user is not None:
        page, names = page.annotate(assigned_to_me=assigned_to(for_user)), (*ROW_FIELDS, "assigned_to_me")
    page_of = task_urls("tasks:detail")
    rows = [
        TaskRow.from_values(values, as_of, page_of(values["pk"])) for values in page.values(*names)[window]
    ]
    found = {row.pk: row for row in rows}
    if found and coordinating:
        links = Task.coordinating_departments.through.objects.filter(task_id__in=found)
        for task_id, name in links.order_by("department__position").values_list(
            "task_id", "department__name"
        ):
            found[task_id].coordinating.append(name)
    if coordinating:
        for row in rows:
            row.coordinating.extend(row.outside_coordinators)
    if found and assignees:
        assign_form_of = task_urls("tasks:assign")
        for row in rows:
            row.assign_url = assign_form_of(row.pk)
        links = Task.assignees.through.objects.filter(task_id__in=found)
        for task_id, user_id, name in links.order_by("user__full_name").values_list(
            "task_id", "user_id", "user__full_name"
        ):
            found[task_id].assignees.append((user_id, name))
    return rows


# The groups of the plan's task table ------------------------------------------------------------


@dataclass(frozen=True)
class GroupHeading:
    """A heading row of the plan's task table: a section of the plan as written or, for the tasks
    outside every section (those of older plans), their reform area."""

    key: str  # "section-12", "area-3", "area-none": the rows of the group name it by this
    heading: str  # "III.1. Cải cách thủ tục hành chính", "II. Cải cách thể chế"
    depth: int  # 0 for a top group, a sub-section one more than the section it is in (its indent)
    parents: str  # the keys of the groups it is in, outermost first, space-separated
    continued: bool = False  # the group began on an earlier page

    def __getitem__(self, name: str):
        return getattr(self, name)  # as TaskRow.__getitem__: spares the templates an exception a lookup


def section_chain(sections: dict, section_id: int | None) -> list:
    """The section `section_id` of `sections` (the plan's, by id) and the sections it is in, outermost
    first: III, III.1, III.1.2."""
    chain, section = [], sections.get(section_id)
    while section is not None:
        chain.append(section)
        section = sections.get(section.parent_id)
    return chain[::-1]


def _group_path(sections: dict, section_id, area_id, area_position=None, area_name=None) -> list:
    """(key, heading) of each group a task is in, outermost first."""
    chain = section_chain(sections, section_id) if section_id is not None else []
    if chain:
        return [(f"section-{section.pk}", section.heading) for section in chain]
    if area_id is None:
        return [("area-none", "Chưa xếp lĩnh vực")]
    return [(f"area-{area_id}", f"{formatting.roman(area_position + 1)}. {area_name}")]


def table_groups(rows: list[TaskRow], sections, *, before=None, continued: bool = False) -> None:
    """Give each row of a page of the plan's task table (in the table's order) the heading rows shown
    before it and the keys of the groups it is in. A task in a section is grouped by the section and
    those it is in (a sub-section under its parent), one outside every section by its reform area.
    `sections`: the plan's; `before`: (section id, area id) of the task just before the page, when the
    page knows it: the groups the first row shares with that task began on an earlier page; else
    `continued` says whether all the first row's groups did."""
    by_pk = {section.pk: section for section in sections}
    previous = [key for key, _heading in _group_path(by_pk, *before, 0, "")] if before else None
    for index, row in enumerate(rows):
        path = _group_path(by_pk, row.section_id, row.area_id, row.area_position, row.area_name)
        keys = [key for key, _heading in path]
        if index == 0 and previous is None:
            shared = len(keys) if continued else 0
        else:
            shared = 0
            while shared < min(len(keys), len(previous)) and keys[shared] == previous[shared]:
                shared += 1
        shown = range(len(path)) if index == 0 else range(shared, len(path))
        row.headings = [
            GroupHeading(
                key=path[depth][0],
                heading=path[depth][1],
                depth=depth,
                parents=" ".join(keys[:depth]),
                continued=depth < shared,
            )
            for depth in shown
        ]
        row.group_keys = " ".join(keys)
        previous = keys
