"""Rows for the leadership dashboard."""

from django.urls import reverse

from tests.matrix import signed_in


def dashboard_home_with_a_plan(request):
    """The top bar's "Tổng quan" while the agency has an issued plan: those who may see its dashboard
    are sent there."""
    request.getfixturevalue("plan")
    return reverse("dashboards:home")


ROWS = {
    # Who may see a plan's dashboard is sent to one (302); the outsider's agency has no plan: a page
    # saying so (200); staff and admins 403.
    "dashboards:home": (
        "get",
        dashboard_home_with_a_plan,
        signed_in(302, staff=403, coordinator=403, admin=403, outsider=200),
        "post",
    ),
    # Leaders, clerks and overseers see the plan; a head sees the department's part (any head: the head
    # of a department with no task sees an empty part); staff, a coordinating department's staff
    # included, and admins 403.
    "dashboards:plan": (
        "get",
        "plan",
        signed_in(200, staff=403, coordinator=403, admin=403, outsider=404),
        "post",
    ),
    # The province view is Sở Nội vụ's alone: every other signed-in persona gets 403.
    "dashboards:province": ("get", None, signed_in(403, overseer=200), "post"),
}
