"""The task lists: "Việc của tôi", the department page, the plan's task table with the clerk's bulk
actions, and the rollover of a plan to next year."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from plans import reference
from plans.access import get_viewable_plan
from plans.models import Plan, ReformAreaSet
from tasks import caching, services
from tasks import rollover as rollover_service
from tasks.access import REPORTERS, can_manage, get_manageable_plan
from tasks.deadlines import Deadline
from tasks.forms import BulkActionForm, RolloverForm, TaskFilterForm
from tasks.models import ProgressUpdate, Task
from tasks.selectors import (
    OPEN_STATES,
    filter_tasks,
    live_plans,
    next_date,
    page_of,
    page_rows,
    rows_by_id,
    urgency_order,
)
from tasks.templatetags.task_rows import rows_html

PAGE_SIZE = 50
RECENT_DAYS = 30
RECENT_LIMIT = 20
OVERDUE_SHOWN = 50
SOON_DAYS = 7
WATCH_DAYS = 14

# "Việc của tôi" views: the counts at the top are links to these.
OVERDUE, DUE_SOON, IN_PROGRESS, PENDING, DONE, ALL = (
    "qua-han",
    "sap-den-han",
    "dang-thuc-hien",
    "cho-duyet",
    "da-hoan-thanh",
    "tat-ca",
)
WATCH = "can-chu-y"  # the agency-wide default list of leaders and clerks


def _assigned_to(user):
    return Exists(Task.assignees.through.objects.filter(task_id=OuterRef("pk"), user_id=user.pk))


def _my_scope(user, today: datetime.date) -> tuple[str, Q]:
    """Which tasks are 'mine'. Staff and heads: their department's and those assigned to them, in
    issued plans. Leaders, clerks and administrators: the agency's plans of this year (the page then
    shows what is overdue or coming due), plus anything assigned to them."""
    assigned = Q(_assigned_to(user))
    if user.role in REPORTERS and user.department_id:
        return "personal", Q(lead_department_id=user.department_id) | assigned
    return "agency", Q(plan__year=today.year) | assigned


@dataclass(frozen=True)
class _Mine:
    """One task in the scope of "Việc của tôi", with what its counts and its order depend on."""

    pk: int
    state: str
    due: datetime.date
    next_on: datetime.date
    completed_on: datetime.date | None
    assigned: bool
    plan_id: int
    sort_key: str

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def _my_candidates(mine, today: datetime.date) -> list[_Mine]:
    """Every task in the user's scope as a few columns, in one light query. The counts and the order
    are worked out from these in Python: a user's scope holds tens or hundreds of tasks, and the same
    figures as SQL conditional aggregates cost several times more to build than to run."""
    rows = mine.values_list(
        "pk", "state", "due_date", "deadline_kind", "completed_on", "assigned_to_me", "plan_id", "sort_key"
    )
    candidates = []
    for pk, state, due, kind, completed_on, assigned, plan_id, key in rows:
        next_on = (
            Deadline("", due, kind).next_report_date(today)
            if kind != Task.Kind.ONCE and due >= today
            else due
        )
        candidates.append(_Mine(pk, state, due, next_on, completed_on, assigned, plan_id, key))
    return candidates


def _my_view(view: str, mode: str, today: datetime.date):
    """The predicate of the open tasks a count at the top of "Việc của tôi" stands for, with its key."""
    soon = today + datetime.timedelta(days=SOON_DAYS)
    watch = today + datetime.timedelta(days=WATCH_DAYS)
    if view == OVERDUE:
        return OVERDUE, lambda t: t.is_open and t.due < today
    if view == DUE_SOON:
        return DUE_SOON, lambda t: t.is_open and t.due >= today and t.next_on <= soon
    if view == IN_PROGRESS:
        return IN_PROGRESS, lambda t: t.state == Task.State.IN_PROGRESS
    if view == PENDING:
        return PENDING, lambda t: t.state == Task.State.PENDING
    if mode == "agency" and view != ALL:
        return WATCH, lambda t: t.is_open and (t.due < today or t.next_on <= watch or t.assigned)
    return ALL, lambda t: t.is_open


def _is_done_this_year(today: datetime.date):
    return lambda t: t.state == Task.State.COMPLETED and t.completed_on and t.completed_on.year == today.year


def _my_counts(candidates: list[_Mine], mode: str, today: datetime.date) -> dict[str, int]:
    views = [OVERDUE, DUE_SOON, IN_PROGRESS, PENDING, ALL] + ([""] if mode == "agency" else [])
    counts = {}
    for view in views:
        key, keep = _my_view(view, mode, today)
        counts[key] = sum(1 for task in candidates if keep(task))
    counts[DONE] = sum(1 for task in candidates if _is_done_this_year(today)(task))
    return counts


def _urgency(today: datetime.date):
    """Overdue first (the longest overdue on top), then by the next date, plan and number."""
    return lambda t: (0 if t.due < today else 1, t.next_on, t.plan_id, t.sort_key)


def _latest_done(task: _Mine):
    return (task.completed_on, task.pk)


def _rows_in_order(ids: list[int], today: datetime.date, assigned: set[int]) -> list[Task]:
    """The rows of `ids`, in that order, read in one query."""
    if not ids:
        return []
    ordered = rows_by_id(ids, today)
    for task in ordered:
        task.assigned_to_me = task.pk in assigned
    return ordered


def _page(number, total: int):
    """Page `number` of `total` rows, and the slice of rows it shows."""
    page = Paginator(range(total), PAGE_SIZE).get_page(number)
    start = max(page.start_index() - 1, 0)
    return page, slice(start, start + PAGE_SIZE)


@login_required
@require_GET
def my_tasks(request):
    user = request.user
    if user.agency_id is None or user.role == Role.OVERSEER:
        return render(request, "tasks/my_tasks.html", {"mode": "overseer" if user.agency_id else "none"})
    today = timezone.localdate()
    mode, scope = _my_scope(user, today)
    mine = (
        Task.objects.filter(plan__in=live_plans(today).filter(agency_id=user.agency_id))
        .filter(scope)
        .annotate(assigned_to_me=_assigned_to(user))
    )
    candidates = _my_candidates(mine, today)
    counts = _my_counts(candidates, mode, today)
    view = request.GET.get("xem", "")
    done_this_year = _is_done_this_year(today)
    if view == DONE:
        listing = sorted(filter(done_this_year, candidates), key=_latest_done, reverse=True)
        total = counts[DONE]
    else:
        key, keep = _my_view(view, mode, today)
        listing, total = sorted(filter(keep, candidates), key=_urgency(today)), counts[key]
    page, window = _page(request.GET.get("trang"), total)
    page_ids = [task.pk for task in listing[window]]
    recent_ids = []
    if view != DONE:
        since = today - datetime.timedelta(days=RECENT_DAYS)
        finished = (
            t
            for t in candidates
            if t.state == Task.State.COMPLETED and t.completed_on and t.completed_on >= since
        )
        recent_ids = [task.pk for task in sorted(finished, key=_latest_done, reverse=True)[:RECENT_LIMIT]]
    assigned = {task.pk for task in candidates if task.assigned}
    rows = {task.pk: task for task in _rows_in_order(page_ids + recent_ids, today, assigned)}
    tasks = [rows[pk] for pk in page_ids if pk in rows]
    recent = [rows[pk] for pk in recent_ids if pk in rows]
    labels = {
        OVERDUE: ("Quá hạn", "danger", "bi-exclamation-triangle-fill"),
        DUE_SOON: (f"Đến hạn trong {SOON_DAYS} ngày", "warning", "bi-alarm"),
        IN_PROGRESS: ("Đang thực hiện", "primary", "bi-hourglass-split"),
        PENDING: ("Chờ duyệt", "info", "bi-hourglass"),
        DONE: (f"Đã hoàn thành năm {today.year}", "success", "bi-check-circle-fill"),
    }
    return render(
        request,
        "tasks/my_tasks.html",
        {
            "mode": mode,
            "view": view,
            "view_label": labels[view][0] if view in labels else "",
            "summary": [
                (key, label, counts[key], colour, icon) for key, (label, colour, icon) in labels.items()
            ],
            "today": today,
            "tasks": tasks,
            "page": page,
            "page_numbers": _page_numbers(page),
            "kept_query": f"xem={view}" if view else "",
            "open_total": counts[ALL],
            "recent": recent,
            "recent_more": len(recent) == RECENT_LIMIT,
            "all_view": ALL,
            "done_view": DONE,
            "watch_days": WATCH_DAYS,
            "recent_days": RECENT_DAYS,
        },
    )


def _page_numbers(page) -> list:
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def _headed_department(request):
    """The department the user heads; 403 for everyone but a department head."""
    user = request.user
    if user.role != Role.DEPT_HEAD or user.department_id is None:
        raise PermissionDenied("Trang này dành cho trưởng phòng, đơn vị.")
    return user.department


@login_required
@require_GET
def department_tasks(request):
    department = _headed_department(request)
    today = timezone.localdate()
    open_tasks = Task.objects.filter(
        plan__in=live_plans(today), lead_department=department, state__in=OPEN_STATES
    ).annotate(next_on=next_date(today))
    counts = open_tasks.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    page, window = _page(request.GET.get("trang"), counts["open"])
    ordered = urgency_order(open_tasks, today)
    tasks = page_of(ordered, window, today, prefetch=["assignees"])
    for task in tasks:
        task.assignee_ids = {person.pk for person in task.assignees.all()}
    overdue = page_of(ordered.filter(due_date__lt=today), slice(0, OVERDUE_SHOWN), today)
    reports = ProgressUpdate.objects.filter(
        task__lead_department=department, task__plan__in=live_plans(today)
    ).select_related("task__plan", "reported_by")
    pending = (
        reports.filter(review=ProgressUpdate.Review.PENDING)
        .prefetch_related("evidence")
        .order_by("reported_at")
    )
    newer = ProgressUpdate.objects.filter(task=OuterRef("task"), reported_at__gt=OuterRef("reported_at"))
    returned = (
        reports.filter(review=ProgressUpdate.Review.RETURNED, task__state=Task.State.IN_PROGRESS)
        .exclude(Exists(newer))
        .select_related("reviewed_by")
        .order_by("-reviewed_at")
    )
    people = User.objects.filter(
        department=department, is_active=True, role__in=[Role.STAFF, Role.DEPT_HEAD]
    ).order_by("full_name")
    return render(
        request,
        "tasks/department.html",
        {
            "department": department,
            "tasks": tasks,
            "page": page,
            "page_numbers": _page_numbers(page),
            "kept_query": "",
            "overdue": overdue,
            "overdue_count": counts["overdue"],
            "pending": list(pending),
            "returned": list(returned),
            "people": list(people),
            "today": today,
        },
    )


def _plan_table(request, plan: Plan, query: QueryDict, *, bulk_form=None, selected=frozenset()) -> dict:
    """The context of the plan's task table for the filters in `query` (also after a refused bulk action)."""
    today = timezone.localdate()
    departments, areas = reference.plan_lists(plan)
    filters = TaskFilterForm(query, plan=plan, departments=departments, areas=areas)
    as_of = filters.as_of() or today
    order = ("area__position", "sort_key")
    can_bulk = can_manage(request.user, plan)
    criteria = filters.criteria()

    def counted_rows() -> tuple[int, int, str]:
        # The page is counted, then its rows are read: never every id of a 1,000-task plan.
        ordered = filter_tasks(plan.tasks.all(), criteria, as_of).order_by(*order)
        page, window = _page(query.get("trang"), ordered.count())
        rows = page_rows(ordered, window, as_of, plan=plan, departments=departments, areas=areas)
        html = rows_html(
            rows,
            group_by_area=True,
            continued=page.has_previous(),
            selectable=can_bulk,
            selected=selected,
            show_lead=True,
            show_coordinating=True,
            show_deadline_text=True,
        )
        return page.paginator.count, page.number, html

    if selected:  # a refused bulk action shows the ticks it was sent with
        total, number, html = counted_rows()
    else:
        # The page as rendered, kept under what it shows and the fingerprint of the plan's tasks
        # (tasks.caching): any change to a task gives a new key.
        key = caching.key(
            "table",
            plan.pk,
            criteria,
            query.get("trang") or "",
            as_of,
            can_bulk,
            caching.reference_stamp(plan),
            today=today,
            fingerprint=caching.table_fingerprint(plan),
        )
        total, number, html = caching.cached(key, counted_rows)
    page = Paginator(range(total), PAGE_SIZE).get_page(number)
    kept = query.copy()
    kept.pop("trang", None)
    if can_bulk and bulk_form is None:
        bulk_form = BulkActionForm(plan=plan, departments=departments, initial={"filters": query.urlencode()})
    return {
        "plan": plan,
        "filters": filters,
        "rows_html": html,
        "page": page,
        "page_numbers": _page_numbers(page),
        "as_of": as_of,
        "is_today": as_of == today,
        "kept_query": kept.urlencode(),
        "bulk_form": bulk_form if can_bulk else None,
        "selected": selected,
        "can_manage": can_bulk,
    }


@login_required
@require_GET
def plan_tasks(request, plan_pk):
    plan = get_viewable_plan(request, plan_pk)
    return render(request, "tasks/plan_tasks.html", _plan_table(request, plan, request.GET))


def _chosen_tasks(plan: Plan, raw_ids: list[str]) -> list[Task]:
    """The ticked tasks; an id that is not a task of this plan answers 404, never a change elsewhere."""
    try:
        ids = {int(value) for value in raw_ids}
    except ValueError as error:
        raise Http404("Không tìm thấy nhiệm vụ.") from error
    tasks = list(
        Task.objects.filter(plan=plan, pk__in=ids)
        .select_related("plan", "lead_department")
        .order_by("sort_key")
    )
    if len(tasks) != len(ids):
        raise Http404("Không tìm thấy nhiệm vụ trong kế hoạch này.")
    return tasks


def _apply_bulk(form: BulkActionForm, tasks: list[Task], by) -> str:
    data = form.cleaned_data
    if data["action"] == BulkActionForm.CHANGE_LEAD:
        department = data["department"]
        changed = services.tasks_bulk_change_lead(
            tasks=tasks, by=by, department=department, reason=data["reason"]
        )
        return (
            f"Đã đổi đơn vị chủ trì của {changed} nhiệm vụ sang {department}."
            if changed
            else (f"Không có thay đổi: các nhiệm vụ đã chọn đều do {department} chủ trì.")
        )
    text = data["deadline_text"].strip()
    moved = services.tasks_bulk_move_deadline(tasks=tasks, by=by, deadline_text=text, reason=data["reason"])
    return (
        f"Đã dời thời hạn của {moved} nhiệm vụ sang “{text}”."
        if moved
        else (f"Không có thay đổi: các nhiệm vụ đã chọn đều có thời hạn “{text}”.")
    )


@login_required
@require_POST
def bulk_action(request, plan_pk):
    plan = get_manageable_plan(request, plan_pk)
    departments, _ = reference.plan_lists(plan)
    form = BulkActionForm(request.POST, plan=plan, departments=departments)
    tasks = _chosen_tasks(plan, request.POST.getlist("tasks"))
    if form.is_valid():
        if not tasks:
            form.add_error(None, "Chọn ít nhất một nhiệm vụ trong bảng (ô đánh dấu ở đầu dòng).")
        else:
            try:
                outcome = _apply_bulk(form, tasks, request.user)
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(request, outcome)
                query = form.filter_query()
                return redirect(reverse("tasks:plan_tasks", args=[plan.pk]) + (f"?{query}" if query else ""))
    messages.error(request, "Chưa thay đổi nhiệm vụ nào: " + " ".join(_error_texts(form)))
    context = _plan_table(
        request, plan, QueryDict(form.filter_query()), bulk_form=form, selected={task.pk for task in tasks}
    )
    return render(request, "tasks/plan_tasks.html", context)


def _error_texts(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


@login_required
@require_http_methods(["GET", "POST"])
def rollover(request, plan_pk):
    plan = get_manageable_plan(request, plan_pk)
    new_year = plan.year + 1
    new_set = ReformAreaSet.for_year(new_year)
    pairs = rollover_service.area_pairs(plan.area_set, new_set)
    rows = rollover_service.candidates(plan, pairs)
    issued_on = rollover_service.default_issue_date(plan, timezone.localdate())
    initial = {
        "number": rollover_service.next_free_number(plan, issued_on),
        "issued_on": issued_on,
        "title": rollover_service.shift_year(plan.title, 1),
    }
    form = RolloverForm(request.POST or None, plan=plan, rows=rows, initial=initial)
    if request.method == "POST":
        if form.is_valid() and new_set is not None:
            try:
                new_plan = rollover_service.plan_rollover(
                    plan=plan,
                    by=request.user,
                    number=form.cleaned_data["number"],
                    issued_on=form.cleaned_data["issued_on"],
                    title=form.cleaned_data["title"],
                    tasks=form.chosen(),
                )
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    f"Đã tạo dự thảo {new_plan} năm {new_year} với {len(form.chosen())} nhiệm vụ từ {plan}.",
                )
                return redirect("plans:detail", pk=new_plan.pk)
        messages.error(request, "Chưa tạo được kế hoạch mới: xem các lỗi được đánh dấu bên dưới.")
    existing = Plan.objects.filter(agency_id=plan.agency_id, year=new_year).order_by("number")
    return render(
        request,
        "tasks/rollover.html",
        {
            "plan": plan,
            "form": form,
            "new_year": new_year,
            "new_set": new_set,
            "pairs": pairs,
            "areas_change": new_set is not None and new_set.pk != plan.area_set_id,
            "existing": list(existing),
            "preselected_count": sum(row.preselected for row in rows),
        },
    )
