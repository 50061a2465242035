"""Rows for my tasks, the department page, the plan task table, bulk actions, rollover."""

from tests.matrix import signed_in

ROWS = {
    "tasks:mine": ("get", None, signed_in(200), "post"),
    "tasks:department": ("get", None, signed_in(403, dept_head=200), "post"),
    "tasks:plan_tasks": ("get", "plan", signed_in(200, outsider=404), "post"),
    # An empty POST from the clerk re-renders the table with "choose a task": nothing changes.
    "tasks:bulk": ("post", "plan", signed_in(403, clerk=200, outsider=404), "get"),
    "tasks:rollover": ("get", "plan", signed_in(403, clerk=200, outsider=404), "put"),
}
