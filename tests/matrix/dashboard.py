"""Rows for the leadership dashboard."""

from tests.matrix import signed_in

ROWS = {
    # Leaders, clerks and overseers see the plan; a head sees the department's part; staff and admins 403.
    "dashboards:plan": ("get", "plan", signed_in(200, staff=403, admin=403, outsider=404), "post"),
    # The province view is Sở Nội vụ's alone: every other signed-in persona gets 403.
    "dashboards:province": ("get", None, signed_in(403, overseer=200), "post"),
}
