"""Rows for my tasks, the department page, the plan task table, bulk actions, rollover."""

from tests.matrix import Form, signed_in
from tests.matrix.forms import filled

ROWS = {
    "tasks:mine": ("get", None, signed_in(200), "post"),
    # every head has a department page: the head of the lead department and the head of another
    "tasks:department": ("get", None, signed_in(403, dept_head=200, other_head=200), "post"),
    "tasks:plan_tasks": ("get", "plan", signed_in(200, outsider=404), "post"),
    # The clerk moves the chosen task's deadline.
    "tasks:bulk": ("post", "plan", signed_in(403, clerk=302, outsider=404), "get"),
    "tasks:rollover": ("get", "plan", signed_in(403, clerk=200, outsider=404), "put"),
}

BODIES = {
    "tasks:bulk": {
        "action": "thoi-han",
        "deadline_text": "Quý IV/2019",
        "reason": "Theo chỉ đạo của Giám đốc Sở",
        "tasks": lambda request: str(request.getfixturevalue("task").pk),
    },
}

FORMS = {
    # the tasks carried into next year's plan, as the page proposes them
    "tasks:rollover": Form(signed_in(403, clerk=302, outsider=404), filled("clerk")),
}
