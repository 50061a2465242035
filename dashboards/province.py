"""The province view of Sở Nội vụ: every agency's issued plans of a year on a date, one row per
agency with the dashboard's figures, ranked, each row leading to that agency's dashboard."""

import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc.formatting import vn_number
from dashboards.access import get_overseen_agencies
from dashboards.figures import COUNTED_PLANS, Figures, agency_figures, rank
from dashboards.forms import DashboardForm
from dashboards.views import CUT_OFFS
from plans.models import Plan
from tasks import caching
from tasks.models import Task

COUNTED_PLANS = COUNTED_PLANS
FIRST_YEAR = 2011  # the first year with reform areas (Nghị quyết 30c/NQ-CP)


def _year(request, today: datetime.date) -> int:
    """The year asked for in ?nam=, or the current one when it is missing or not a plausible year."""
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _percent(rate) -> str:
    return "—" if rate is None else f"{vn_number(rate, 2)} %"


def _row_link(agency_id: int, plans: dict, year: int, as_of: datetime.date) -> str:
    """The agency's plan dashboard on `as_of` when it has one plan of the year, else its plan list."""
    count, plan_pk = plans.get(agency_id, (0, None))
    if count == 1:
        return reverse("dashboards:plan", args=[plan_pk]) + "?" + urlencode({"ngay": f"{as_of:%d/%m/%Y}"})
    return reverse("plans:list") + "?" + urlencode({"co-quan": agency_id, "nam": year})


@login_required
@require_GET
def province_dashboard(request):
    agencies = get_overseen_agencies(request)
    today = timezone.localdate()
    year = _year(request, today)
    form = DashboardForm(request.GET)
    as_of = form.as_of() or today
    ids = [agency.pk for agency in agencies]
    plans = {
        row["agency_id"]: (row["count"], row["first"])
        for row in Plan.objects.filter(agency_id__in=ids, year=year, status__in=COUNTED_PLANS)
        .values("agency_id")
        .annotate(count=Count("pk"), first=Min("pk"))
        .order_by()
    }
    tasks = Task.objects.filter(plan__agency_id__in=ids, plan__year=year, plan__status__in=COUNTED_PLANS)
    cache_key = caching.key(
        "province",
        ",".join(map(str, ids)),
        year,
        as_of,
        today=today,
        fingerprint=caching.province_fingerprint(ids, year),
    )
    figures = caching.cached(cache_key, lambda: agency_figures(tasks, as_of))
    rows = []
    for agency in agencies:
        row = figures.get(agency.pk) or Figures(key=agency.pk)
        row.name = agency.short_name or agency.name
        row.plans = plans.get(agency.pk, (0, None))[0]
        row.url = _row_link(agency.pk, plans, year, as_of) if row.plans else ""
        row.completion_shown = _percent(row.completion_rate)
        row.overdue_shown = _percent(row.overdue_rate)
        rows.append(row)
    rows = rank(rows)
    with_plans = [row for row in rows if row.plans]
    base = reverse("dashboards:province")

    def url(day: datetime.date) -> str:
        return f"{base}?{urlencode({'nam': year, 'ngay': f'{day:%d/%m/%Y}'})}"

    return render(
        request,
        "dashboards/province.html",
        {
            "form": form,
            "year": year,
            "years": range(today.year + 1, min(year, FIRST_YEAR) - 1, -1),
            "as_of": as_of,
            "is_today": as_of == today,
            "today_url": url(today),
            "cut_offs": [
                (label, day, url(day))
                for label, month in CUT_OFFS
                for day in [datetime.date(year, month, 14)]
            ],
            "rows": with_plans,
            "without_plans": [row for row in rows if not row.plans],
        },
    )
