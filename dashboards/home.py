"""The top bar's "Tổng quan": the dashboard of the plan the user last opened, else of the current plan.

The plan dashboard remembers its plan in the session (remember_plan); a remembered plan the user may
no longer read, or whose dashboard they may no longer see, is forgotten. The current plan is this
year's issued plan of the user's agency, else the newest plan the user may read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dashboards.access import can_view_dashboard, require_dashboards
from plans.access import readable_plans
from plans.models import Plan

LAST_PLAN = "dashboards.last_plan"  # the session key of the plan whose dashboard was opened last


def remember_plan(request, plan) -> None:
    """Keep `plan` as the one the user opened last; the session is written only when it changes."""
    if request.session.get(LAST_PLAN) != plan.pk:
        request.session[LAST_PLAN] = plan.pk


def _remembered_plan(request, plans) -> Plan | None:
    remembered = request.session.get(LAST_PLAN)
    if remembered is None:
        return None
    plan = plans.filter(pk=remembered).first()
    if plan is None or not can_view_dashboard(request.user, plan):
        del request.session[LAST_PLAN]
        return None
    return plan


def _current_plan(user, plans) -> Plan | None:
    """This year's issued plan of the user's agency (the latest issued when there are several), else
    the newest plan the user may read, those of their own agency first."""
    newest = ("-issued_on", "-number", "-pk")
    own = plans.filter(agency_id=user.agency_id)
    this_year = (
        own.filter(year=timezone.localdate().year, status=Plan.Status.ISSUED).order_by(*newest).first()
    )
    if this_year is not None:
        return this_year
    for candidates in (own, plans):
        plan = candidates.order_by("-year", *newest).first()
        if plan is not None and can_view_dashboard(user, plan):
            return plan
    return None


@login_required
@require_safe
def dashboard_home(request):
    require_dashboards(request)
    plans = readable_plans(request.user)
    plan = _remembered_plan(request, plans) or _current_plan(request.user, plans)
    if plan is not None:
        return redirect("dashboards:plan", plan.pk)
    return render(request, "dashboards/no_plan.html")
