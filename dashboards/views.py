"""The leadership dashboard of a plan: its figures on a date, by department and by reform area, every
count a link to the plan's task table filtered to exactly those tasks."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cchc import periods
from cchc.formatting import document_number, vn_number
from cchc.fragments import render_cached
from dashboards import cards, trend
from dashboards.access import get_dashboard_plan
from dashboards.figures import (
    BAR_STATUSES,
    COUNTED_PLANS,
    Figures,
    due_soon_tasks,
    no_deadline_tasks,
    overdue_tasks,
    sort_rows,
    summary,
    valid_order,
)
from dashboards.forms import DashboardForm
from dashboards.home import remember_plan
from plans.access import readable_plans
from plans.models import Plan
from tasks.models import Task
from tasks.selectors import ACTIVE_GROUP, DONE_GROUP, DUE_GROUP
from tasks.status import STYLE, Status

# The report cut-offs of Công văn 581/BNV-CCHC (DOMAIN.md §5): (label, month) on day 14.

COLUMNS = (
    ("name", "Tên"),
    ("assigned", "Được giao"),
    ("due", "Đến hạn"),
    ("done", "Đã hoàn thành"),
    ("on_time", "Tỷ lệ đúng hạn"),
    ("overdue", "Chưa hoàn thành, quá hạn"),
    ("days_late", "Số ngày trễ bình quân"),
)
# The section of the dashboard that lists the open tasks without a deadline (_dashboard_body.html).
NO_DEADLINE_ANCHOR = "chua-xac-dinh-thoi-han"


def _table_link(plan, as_of: datetime.date, **filters) -> str:
    """The plan's task table filtered by `filters` (department, area, status, due_within) on `as_of`."""
    query = {name: value for name, value in filters.items() if value}
    query["as_of"] = f"{as_of:%d/%m/%Y}"
    return reverse("tasks:plan_tasks", args=[plan.pk]) + "?" + urlencode(query)


def _add_links(rows: list[Figures], link, key: str) -> None:
    for row in rows:
        row.links = {
            "total": link(**{key: row.key, "status": ACTIVE_GROUP}),
            "due": link(**{key: row.key, "status": DUE_GROUP}),
            "done": link(**{key: row.key, "status": DONE_GROUP}),
            "open_overdue": link(**{key: row.key, "status": Status.OPEN_OVERDUE.value}),
        }
        row.on_time_shown = cards.percent(row.on_time_rate)
        row.days_late_shown = "—" if row.average_days_late is None else vn_number(row.average_days_late, 1)


def _headers(plan, as_of: datetime.date, order: str) -> list[dict]:
    """The tables' column headers, each a link that sorts by it (again: the other way round)."""
    headers = []
    for key, label in COLUMNS:
        if order == key:
            next_order, sort = f"-{key}", "ascending"
        elif order == f"-{key}":
            next_order, sort = key, "descending"
        else:
            next_order, sort = (key if key == "name" else f"-{key}"), "none"
        query = urlencode({"as_of": f"{as_of:%d/%m/%Y}", "order": next_order})
        url = reverse("dashboards:plan", args=[plan.pk]) + f"?{query}"
        headers.append({"key": key, "label": label, "url": url, "sort": sort})
    return headers


def _other_plans(user, plan, as_of: datetime.date) -> list[dict]:
    """The agency's plans the user may read (another agency's drafts stay inside it), newest year
    first, each a link to its dashboard (the plan selector)."""
    plans = readable_plans(user).filter(agency_id=plan.agency_id).order_by("-year", "-issued_on", "-number")
    return [
        {
            "pk": row["pk"],
            "year": row["year"],
            "label": document_number(row["number"], row["symbol"]),
            "is_draft": row["status"] == Plan.Status.DRAFT,
            "url": reverse("dashboards:plan", args=[row["pk"]]),
        }
        for row in plans.values("pk", "year", "number", "symbol", "status")
    ]


def _body(plan, department, as_of: datetime.date, requested_order: str) -> dict:
    """What dashboards/_dashboard_body.html shows: the figures, tables, trend and lists."""
    tasks = plan.tasks.all()
    previous_tasks = Task.objects.filter(
        plan__agency_id=plan.agency_id, plan__year=plan.year - 1, plan__status__in=COUNTED_PLANS
    )
    scope = {}
    if department is not None:
        tasks = tasks.filter(lead_department=department)
        previous_tasks = previous_tasks.filter(lead_department=department)
        scope["department"] = department.pk

    def link(**filters):
        return _table_link(plan, as_of, **{**scope, **filters})

    counted = summary(tasks, as_of)
    figures = counted.plan
    departments, order = sort_rows(counted.departments, requested_order)
    areas, _ = sort_rows(counted.areas, order)
    _add_links(departments, link, "department")
    _add_links(areas, link, "area")
    months = trend.monthly(tasks, previous_tasks, plan.year, as_of)
    return {
        "plan": plan,
        "department": department,
        "figures": figures,
        "cards": cards.headline(figures, link, no_deadline_url=f"#{NO_DEADLINE_ANCHOR}"),
        "rates": cards.rates(figures),
        "completion_rate": cards.percent(figures.completion_rate),
        "overdue_rate": cards.percent(figures.overdue_rate),
        "overdue": overdue_tasks(tasks, as_of),
        "overdue_url": link(status=Status.OPEN_OVERDUE.value),
        "due_soon": due_soon_tasks(tasks, as_of),
        "due_soon_url": link(due_within=settings.DUE_SOON_DAYS),
        "soon_days": settings.DUE_SOON_DAYS,
        # read only when there are some: most plans give every task a deadline
        "no_deadline": no_deadline_tasks(tasks, as_of) if figures.no_deadline else [],
        "no_deadline_anchor": NO_DEADLINE_ANCHOR,
        "departments": departments,
        "areas": areas,
        "headers": _headers(plan, as_of, order),
        "order": order,
        "months": months,
        "chart": trend.chart(months),
        "as_of": as_of,
        "previous_as_of": trend.a_year_before(as_of),
        "bar_statuses": [(status.value, status.label, *STYLE[status]) for status in BAR_STATUSES],
    }


@login_required
@require_safe
def plan_dashboard(request, plan_pk):
    plan, department = get_dashboard_plan(request, plan_pk)
    remember_plan(request, plan)
    today = timezone.localdate()
    form = DashboardForm(request.GET)
    as_of = form.as_of_date() or today
    requested_order = request.GET.get("order", "")
    order = valid_order(requested_order)
    # The body is kept in the cache under what it shows and the agency's data_version, which counts
    # every recorded change of the agency's data (its tasks, the year before's for the trend, its
    # plans, departments and the areas): any change gives a new key. Today's date is in the key as
    # well: what is overdue or due soon moves with it, and the key never outlives the day.
    key = ":".join(
        str(part)
        for part in (
            "dashboard",
            plan.pk,
            department.pk if department else "all",
            as_of.isoformat(),
            order,
            today.isoformat(),
            plan.agency.data_version,
        )
    )
    body = render_cached(
        key, "dashboards/_dashboard_body.html", lambda: _body(plan, department, as_of, order)
    )
    base = reverse("dashboards:plan", args=[plan.pk])
    cut_offs = [(cut_off.label, cut_off.day) for cut_off in periods.cut_offs(plan.year)]
    return render(
        request,
        "dashboards/dashboard.html",
        {
            "plan": plan,
            "department": department,
            "form": form,
            "as_of": as_of,
            "is_today": as_of == today,
            "today_url": f"{base}?{urlencode({'as_of': f'{today:%d/%m/%Y}'})}",
            "cut_offs": [
                (label, day, f"{base}?{urlencode({'as_of': f'{day:%d/%m/%Y}'})}") for label, day in cut_offs
            ],
            "order": order,
            "other_plans": _other_plans(request.user, plan, as_of),
            "body": body,
        },
    )
