"""Rows for the foundation: accounts, health, plans (draft, issued and closed), the Django admin."""

from django.urls import reverse

from tests.matrix import ADMIN_LOGIN, REFUSED, Form, State, expect, signed_in
from tests.matrix.forms import filled


def _closed_plan(name):
    """The URL `name` of a closed plan of the agency (its year's work over)."""

    def url(request):
        from plans.models import Plan
        from tests.conftest import make_plan

        plan = make_plan(request.getfixturevalue("agency"), number=3, year=2018, status=Plan.Status.CLOSED)
        return reverse(name, args=[plan.pk])

    return url


def _issued_plan_form(request, url):
    """The edit page of the issued plan, whose form stands for the closed plan's (which has none)."""
    return reverse("plans:update", args=[request.getfixturevalue("plan").pk])


def _admin_change(model_url, fixture):
    return lambda request: reverse(model_url, args=[request.getfixturevalue(fixture).pk])


# The Django admin is the system administrator's (a superuser): everyone else is sent to its login page,
# on GET and on POST alike.
ADMIN = expect(ADMIN_LOGIN, admin=200)
READ_ONLY = expect(ADMIN_LOGIN, admin=403)
PLAN_FORM = filled("clerk", title="Kế hoạch cải cách hành chính đã sửa")
CLERK_PAGE = signed_in(403, clerk=200, outsider=404)
CLERK_POST = signed_in(403, clerk=302, outsider=404)

ROWS = {
    "home": ("get", None, signed_in(302), "post"),
    "healthz": ("get", None, expect(200), "post"),
    "login": ("get", None, expect(302, anonymous=200), "put"),
    "logout": ("post", None, expect(302), "get"),
    "password_change": ("get", None, signed_in(200), "put"),
    "password_change_done": ("get", None, signed_in(200), "post"),
    "profile": ("get", None, signed_in(200), "post"),
    "plans:list": ("get", None, signed_in(200), "post"),
    "plans:create": ("get", None, signed_in(403, clerk=200, outsider=200), "put"),
    "plans:detail": ("get", "plan", signed_in(200, outsider=404), "post"),
    "plans:update": ("get", "plan", CLERK_PAGE, "delete"),
    # a draft stays inside its agency: the overseer of the province does not reach it either
    "plans:issue": ("post", "draft_plan", signed_in(403, clerk=302, outsider=404, overseer=404), "get"),
    "plans:close": ("post", "plan", CLERK_POST, "get"),
    "plans:seal": ("post", "plan", CLERK_POST, "get"),
    "admin:index": ("get", None, ADMIN, None),
    "admin:accounts_user_changelist": ("get", None, ADMIN, None),
    "admin:accounts_user_change": ("get", _admin_change("admin:accounts_user_change", "staff"), ADMIN, None),
    "admin:plans_plan_changelist": ("get", None, ADMIN, None),
    "admin:plans_plan_change": ("get", _admin_change("admin:plans_plan_change", "plan"), ADMIN, None),
    "admin:tasks_task_change": ("get", _admin_change("admin:tasks_task_change", "task"), ADMIN, None),
}

# The front door looks at the method before it sends anonymous visitors to the login page.
WRONG_METHOD = {"home": signed_in(405, anonymous=405)}

FORMS = {
    # signed-in visitors are sent on; an empty form is shown again with its errors
    "login": Form(expect(302, anonymous=200)),
    "password_change": Form(signed_in(200)),
    "plans:create": Form(
        signed_in(403, clerk=302, outsider=302),
        filled("clerk", number="30", title="Kế hoạch cải cách hành chính của ma trận"),
    ),
    "plans:update": Form(CLERK_POST, PLAN_FORM),
    "admin:index": Form(ADMIN),
    # the changelist without an action chosen: shown again
    "admin:accounts_user_changelist": Form(ADMIN),
    "admin:accounts_user_change": Form(
        expect(ADMIN_LOGIN, admin=302), filled("admin", full_name="Tên do quản trị sửa")
    ),
    "admin:plans_plan_changelist": Form(ADMIN),
    # plans and tasks are written by their services only: the admin opens them and changes nothing
    "admin:plans_plan_change": Form(READ_ONLY, filled("admin", title="Tiêu đề do quản trị sửa")),
    "admin:tasks_task_change": Form(READ_ONLY, filled("admin", content="Nội dung do quản trị sửa")),
}

DRAFT_READERS = signed_in(200, outsider=404, overseer=404)

STATES = {
    "plans:detail": [
        State("draft", "draft_plan", DRAFT_READERS),
        State("closed", _closed_plan("plans:detail"), signed_in(200, outsider=404)),
    ],
    "plans:update": [
        State(
            "draft",
            "draft_plan",
            signed_in(403, clerk=200, outsider=404, overseer=404),
            Form(signed_in(403, clerk=302, outsider=404, overseer=404), PLAN_FORM),
        ),
        # a closed plan is shown instead of its form, and a form posted to it changes nothing
        State(
            "closed",
            _closed_plan("plans:update"),
            CLERK_POST | {"clerk": REFUSED},
            Form(
                CLERK_POST | {"clerk": REFUSED},
                filled("clerk", page=_issued_plan_form, title="Sửa kế hoạch đã kết thúc"),
            ),
        ),
    ],
    # an issued plan is not issued again, a closed one neither
    "plans:issue": [
        State("issued", "plan", CLERK_POST | {"clerk": REFUSED}),
        State("closed", _closed_plan("plans:issue"), CLERK_POST | {"clerk": REFUSED}),
    ],
    "plans:close": [
        State("draft", "draft_plan", signed_in(403, clerk=REFUSED, outsider=404, overseer=404)),
        State("closed", _closed_plan("plans:close"), CLERK_POST | {"clerk": REFUSED}),
    ],
    "plans:seal": [
        State("draft", "draft_plan", signed_in(403, clerk=REFUSED, outsider=404, overseer=404)),
        State("closed", _closed_plan("plans:seal"), CLERK_POST),
    ],
}
