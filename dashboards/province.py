"""The province view of Sở Nội vụ: every agency's issued plans of a year on a date, one row per
agency with the dashboard's figures, ranked, each row leading to that agency's dashboard."""

import datetime
import hashlib
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cchc import periods
from cchc.fragments import render_cached
from dashboards import cards
from dashboards.access import get_overseen_agencies
from dashboards.figures import COUNTED_PLANS, Figures, agency_figures, combined, rank
from dashboards.forms import ProvinceForm
from plans.models import Plan
from tasks.models import Task

COUNTED_PLANS = COUNTED_PLANS


def _row_link(agency_id: int, plans: dict, year: int, as_of: datetime.date) -> str:
    """The agency's plan dashboard on `as_of` when it has one plan of the year, else its plan list."""
    count, plan_pk = plans.get(agency_id, (0, None))
    if count == 1:
        return reverse("dashboards:plan", args=[plan_pk]) + "?" + urlencode({"as_of": f"{as_of:%d/%m/%Y}"})
    return reverse("plans:list") + "?" + urlencode({"agency": agency_id, "year": year})


def _ranking(agencies: list, year: int, as_of: datetime.date) -> dict:
    """What dashboards/_province_ranking.html shows: the agencies with plans of the year, ranked, and
    those without."""
    ids = [agency.pk for agency in agencies]
    plans = {
        row["agency_id"]: (row["count"], row["first"])
        for row in Plan.objects.filter(agency_id__in=ids, year=year, status__in=COUNTED_PLANS)
        .values("agency_id")
        .annotate(count=Count("pk"), first=Min("pk"))
        .order_by()
    }
    tasks = Task.objects.filter(plan__agency_id__in=ids, plan__year=year, plan__status__in=COUNTED_PLANS)
    figures = agency_figures(tasks, as_of)
    rows = []
    for agency in agencies:
        row = figures.get(agency.pk) or Figures(key=agency.pk)
        row.name = agency.short_name or agency.name
        row.plans = plans.get(agency.pk, (0, None))[0]
        row.url = _row_link(agency.pk, plans, year, as_of) if row.plans else ""
        row.completion_shown = cards.percent(row.completion_rate)
        row.overdue_shown = cards.percent(row.overdue_rate)
        rows.append(row)
    rows = rank(rows)
    whole = combined(figures.values())
    return {
        "year": year,
        "as_of": as_of,
        "figures": whole,
        "cards": cards.headline(whole, total_label="Nhiệm vụ của các kế hoạch"),
        "rates": cards.rates(whole),
        "rows": [row for row in rows if row.plans],
        "without_plans": [row for row in rows if not row.plans],
    }


def _ranking_version(agencies: list) -> str:
    """What the ranking is computed from, as the agencies were read for this request: each one's
    data_version (counted up by the database with every recorded change of its plans and tasks) and
    the names its row shows. Any change to one of them gives a new key."""
    stamp = repr([(agency.pk, agency.short_name, agency.name, agency.data_version) for agency in agencies])
    return hashlib.sha256(stamp.encode()).hexdigest()


@login_required
@require_safe
def province_dashboard(request):
    agencies = get_overseen_agencies(request)
    today = timezone.localdate()
    form = ProvinceForm(request.GET, today=today)
    year = form.chosen_year
    as_of = form.as_of_date() or today
    # The agencies were just read from the database (accounts.access), data_version with them: the
    # version of the ranking costs no query of its own.
    key = f"province:{year}:{as_of.isoformat()}:{today.isoformat()}:{_ranking_version(agencies)}"
    ranking = render_cached(key, "dashboards/_province_ranking.html", lambda: _ranking(agencies, year, as_of))
    base = reverse("dashboards:province")

    def url(day: datetime.date) -> str:
        return f"{base}?{urlencode({'year': year, 'as_of': f'{day:%d/%m/%Y}'})}"

    return render(
        request,
        "dashboards/province.html",
        {
            "form": form,
            "year": year,
            "as_of": as_of,
            "is_today": as_of == today,
            "today_url": url(today),
            "cut_offs": [
                (cut_off.label, cut_off.day, url(cut_off.day)) for cut_off in periods.cut_offs(year)
            ],
            "ranking": ranking,
        },
    )
