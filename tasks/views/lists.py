"""The task lists: "Việc của tôi", the department page, the plan's task table with the clerk's bulk
actions, and the rollover of a plan to next year."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import heads_department, works_in_agency
from accounts.models import User
from cchc.fragments import render_cached
from plans import reference
from plans.access import get_viewable_plan
from plans.models import Plan, ReformAreaSet
from tasks import caching, services
from tasks import rollover as rollover_service
from tasks.access import (
    REPORTERS,
    can_manage,
    get_headed_department,
    get_manageable_plan,
    reports_for_a_department,
)
from tasks.filters import DONE, DepartmentTaskFilter, MyTaskFilter, PlanTaskFilter
from tasks.forms import BulkActionForm, RolloverForm
from tasks.models import ProgressUpdate, Task
from tasks.selectors import assigned_to, listed, live_plans, table_groups, task_rows, urgency_order
from tasks.status import COMPLETED, OPEN, Status

PAGE_SIZE = 50
RECENT_DAYS = 30
RECENT_LIMIT = 20
# What the department page shows of the reports waiting for a review or returned (department.html):
# the rest of their rows, and of their tasks' and plans', is left unread.
REPORT_SHOWN = (
    "percent",
    "reported_at",
    "reported_on",
    "narrative",
    "result",
    "return_reason",
    "reviewed_at",
    "task__number",
    "task__content",
    "task__plan__number",
    "task__plan__symbol",
    "reported_by__full_name",
    "reported_by__username",
)
OVERDUE_SHOWN = PAGE_SIZE  # the overdue tasks the department page lists: its table's first page at most


def _page(number, total: int):
    """Page `number` of `total` rows, and the slice of rows it shows."""
    page = Paginator(range(total), PAGE_SIZE).get_page(number)
    start = max(page.start_index() - 1, 0)
    return page, slice(start, start + PAGE_SIZE)


def _page_numbers(page) -> list:
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def _my_scope(user, today: datetime.date):
    """Which tasks are 'mine', listed for today, and what kind of scope that is. "personal" for staff and
    heads: their department's tasks and those assigned to them, in live plans. "agency" for leaders,
    clerks and administrators: the agency's live plans of this year (the page then shows what needs
    attention), plus anything assigned to them."""
    assigned = Q(assigned_to(user))
    if reports_for_a_department(user):
        mode, scope = "personal", Q(lead_department_id=user.department_id) | assigned
    else:
        mode, scope = "agency", Q(plan__year=today.year) | assigned
    tasks = Task.objects.filter(plan__in=live_plans(today).filter(agency_id=user.agency_id)).filter(scope)
    return mode, listed(tasks, today)


@login_required
@require_safe
def my_tasks(request):
    user = request.user
    if not works_in_agency(user):
        return render(request, "tasks/my_tasks.html", {"mode": "overseer" if user.agency_id else "none"})
    today = timezone.localdate()
    mode, scope = _my_scope(user, today)
    filters = MyTaskFilter(request.GET, queryset=scope, mode=mode, user=user, today=today)
    view = filters.chosen

    def lists() -> dict:
        """The counts at the top and the lists under them (tasks/_my_lists.html)."""
        recently_done = Q(status__in=COMPLETED, done_on__gte=today - datetime.timedelta(days=RECENT_DAYS))
        counts = filters.counts(recent=recently_done)
        total = counts[filters.shown]
        page, window = _page(request.GET.get("page"), total)
        # The rows are read only when there are some.
        tasks = task_rows(filters.qs, window, today, for_user=user) if total else []
        recent = []
        if filters.shown != DONE and counts["recent"]:
            latest = scope.filter(recently_done).order_by("-done_on", "-pk")
            recent = task_rows(latest, slice(0, RECENT_LIMIT), today, for_user=user)
        return {
            "user": user,
            "mode": mode,
            "filters": filters,
            "view": view,
            "view_label": filters.labels.get(view, ""),
            "counts": counts,
            "today": today,
            "tasks": tasks,
            "page": page,
            "page_numbers": _page_numbers(page),
            "kept_query": f"view={view}" if view else "",
            "open_total": counts["all"],
            "recent": recent,
            "recent_more": len(recent) == RECENT_LIMIT,
            "watch_days": settings.DUE_SOON_DAYS,
            "recent_days": RECENT_DAYS,
        }

    # Kept in the cache under what they show and the version of the agency's data (tasks.caching).
    key = caching.my_tasks_key(user, sorted(request.GET.lists()))
    return render(
        request,
        "tasks/my_tasks.html",
        {
            "mode": mode,
            "view": view,
            "view_label": filters.labels.get(view, ""),
            "heads_a_department": heads_department(user),
            "today": today,
            "watch_days": settings.DUE_SOON_DAYS,
            "lists": render_cached(key, "tasks/_my_lists.html", lists),
        },
    )


@login_required
@require_safe
def department_tasks(request):
    department = get_headed_department(request)
    today = timezone.localdate()
    open_tasks = listed(
        Task.objects.filter(plan__in=live_plans(today), lead_department=department), today
    ).filter(status__in=OPEN)
    people = list(
        User.objects.filter(department=department, is_active=True, role__in=REPORTERS).order_by("full_name")
    )
    filters = DepartmentTaskFilter(request.GET, queryset=open_tasks, people=people)
    counts = open_tasks.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(status=Status.OPEN_OVERDUE)))
    total = filters.qs.count() if filters.used() else counts["open"]
    page, window = _page(request.GET.get("page"), total)
    tasks = task_rows(urgency_order(filters.qs), window, today, assignees=True)
    if page.number == 1 and not filters.used():
        # The table lists the overdue tasks first (urgency_order): unfiltered, its first page begins
        # with the overdue list, read with it.
        overdue = [row for row in tasks if row.is_overdue][:OVERDUE_SHOWN]
    else:
        overdue = task_rows(
            urgency_order(open_tasks.filter(status=Status.OPEN_OVERDUE)), slice(0, OVERDUE_SHOWN), today
        )
    reports = (
        ProgressUpdate.objects.filter(task__lead_department=department, task__plan__in=live_plans(today))
        .select_related("task__plan", "reported_by")
        .only(*REPORT_SHOWN)
    )
    pending = (
        reports.filter(review=ProgressUpdate.Review.PENDING)
        .exclude(reported_by=request.user)  # the head's own reports are a leader's to review
        .prefetch_related("evidence")
        .order_by("reported_at")
    )
    newer = ProgressUpdate.objects.filter(task=OuterRef("task"), reported_at__gt=OuterRef("reported_at"))
    returned = (
        reports.filter(review=ProgressUpdate.Review.RETURNED, task__state=Task.State.IN_PROGRESS)
        .exclude(Exists(newer))
        .select_related("reviewed_by")
        .only(*REPORT_SHOWN, "reviewed_by__full_name")
        .order_by("-reviewed_at")
    )
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "tasks/department.html",
        {
            "department": department,
            "filters": filters,
            "tasks": tasks,
            "page": page,
            "page_numbers": _page_numbers(page),
            "kept_query": kept.urlencode(),
            "open_count": counts["open"],
            "overdue": overdue,
            "overdue_count": counts["overdue"],
            "pending": list(pending),
            "returned": list(returned),
            "people": people,
            "today": today,
        },
    )


# The plan's table in its written order: the tasks in the plan's sections first, by their sort keys
# (which hold the section's written place, a section's own tasks before those of the sections inside
# it, then the number: tasks.services.sort_key), then those outside every section (older plans) area
# by area.
TABLE_ORDER = (
    Case(
        When(section__isnull=False, then=Value(-1)), default=F("area__position"), output_field=IntegerField()
    ).asc(nulls_last=True),
    "sort_key",
)


def _table_page(tasks, sections, areas, number):
    """Page `number` of the plan's table of `tasks`, which lists them section by section (`sections`,
    in their written order), then those outside every section area by area (`areas`, in their order):
    the page, the tasks its rows are read from, ordered, the slice of those the page shows, and the
    group (section id, area id) of the task just before the page (None when unknown or none).

    The tasks are counted by group, in one query as their count would be: the rows are then read
    among the tasks of the groups the page spans alone, so that the database sorts those rather than
    every task of a plan that may hold thousands (never every id either)."""
    counts: dict[tuple, int] = {}
    for section_id, area_id, count in (
        tasks.order_by().values_list("section_id", "area_id").annotate(Count("pk"))
    ):
        group = (section_id, None) if section_id is not None else (None, area_id)
        counts[group] = counts.get(group, 0) + count
    page, window = _page(number, sum(counts.values()))
    ordered = tasks.order_by(*TABLE_ORDER)
    groups = [
        *((section.pk, None) for section in sections),
        *((None, area.pk) for area in areas),
        (None, None),
    ]
    if set(counts) - set(groups):  # a task outside the plan's sections and areas: read among all
        return page, ordered, window, None
    spanned, before, start, previous = [], 0, 0, None
    for group in groups:
        end = start + counts.get(group, 0)
        if start < window.stop and window.start < end:
            before = before if spanned else start  # the tasks of the groups before the first spanned
            spanned.append(group)
        if start < window.start <= end:
            previous = group  # the group of the task just before the page
        start = end
    sections_spanned = [section_id for section_id, _area in spanned if section_id is not None]
    areas_spanned = [area_id for section_id, area_id in spanned if section_id is None and area_id]
    among = Q(section_id__in=sections_spanned) | Q(section__isnull=True, area_id__in=areas_spanned)
    if (None, None) in spanned:
        among |= Q(section__isnull=True, area__isnull=True)
    window = slice(window.start - before, window.stop - before)
    return page, ordered.filter(among), window, previous


def _plan_table(request, plan: Plan, query: QueryDict, *, bulk_form=None, selected=frozenset()) -> dict:
    """The context of the plan's task table for the filters in `query` (also after a refused bulk action)."""
    departments, areas = reference.plan_lists(plan)
    sections = reference.plan_sections(plan)
    filters = PlanTaskFilter(
        query, queryset=plan.tasks.all(), departments=departments, areas=areas, sections=sections
    )
    as_of = filters.status_date
    can_bulk = can_manage(request.user, plan)
    refused = bulk_form is not None  # a refused bulk action: its errors and ticks show, nothing is kept
    if can_bulk and bulk_form is None:
        bulk_form = BulkActionForm(plan=plan, departments=departments, initial={"filters": query.urlencode()})

    def table() -> dict:
        """The count, the page and the parts of the page rendered from them and from the filters."""
        page, ordered, window, before = _table_page(filters.qs, sections, areas, query.get("page"))
        rows = task_rows(ordered, window, as_of, coordinating=True)
        table_groups(rows, sections, before=before, continued=page.has_previous())
        shown = {
            "tasks": rows,
            "selectable": can_bulk,
            "selected": selected,
        }
        bulk_fields = (
            render_to_string("tasks/_bulk_fields.html", {"bulk_form": bulk_form}) if bulk_form else ""
        )
        return {
            "total": page.paginator.count,
            "number": page.number,
            "filters": render_to_string("tasks/_plan_table_filters.html", {"filters": filters, "plan": plan}),
            "bulk_fields": bulk_fields,
            "rows": render_to_string("tasks/_plan_table_rows.html", shown),
        }

    if refused:
        shown = table()
    else:
        # Kept under what the parts show (the query as sent: its values and errors show in the
        # filters) and the version of the agency's data (tasks.caching): any recorded change to a task
        # gives a new key.
        key = caching.table_key(plan, (departments, areas), sorted(query.lists()), can_bulk)
        shown = caching.cached(key, table)
    page = Paginator(range(shown["total"]), PAGE_SIZE).get_page(shown["number"])
    kept = query.copy()
    kept.pop("page", None)
    return {
        "plan": plan,
        "filters": filters,
        "table": shown,
        "page": page,
        "page_numbers": _page_numbers(page),
        "as_of": as_of,
        "is_today": as_of == timezone.localdate(),
        "kept_query": kept.urlencode(),
        "bulk_form": bulk_form,
        "can_manage": can_bulk,
    }


@login_required
@require_safe
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
@require_http_methods(["GET", "HEAD", "POST"])
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
