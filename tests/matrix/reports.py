"""Rows for the periodic CCHC reports of a plan: clerks and leaders write, the agency and overseers read."""

from django.urls import reverse

from tests.matrix import signed_in


def _draft_report(name):
    """The URL `name` of a fresh draft 6-month report of the `plan` fixture, drafted by its clerk."""

    def build(request):
        from reports.services import report_create

        report = report_create(
            plan=request.getfixturevalue("plan"),
            by=request.getfixturevalue("clerk"),
            period="half_year",
            year=2019,
        )
        return reverse(name, args=[report.pk])

    return build


WRITERS = {"clerk": 200, "leader": 200, "outsider": 404}
WRITERS_POST = {"clerk": 302, "leader": 302, "outsider": 404}

ROWS = {
    "reports:list": ("get", "plan", signed_in(200, outsider=404), "post"),
    "reports:create": ("get", "plan", signed_in(403, **WRITERS), "put"),
    "reports:detail": (
        "get",
        _draft_report("reports:detail"),
        signed_in(200, outsider=404),
        "post",
    ),
    "reports:update": ("get", _draft_report("reports:update"), signed_in(403, **WRITERS), "delete"),
    "reports:refresh": (
        "post",
        _draft_report("reports:refresh"),
        signed_in(403, **WRITERS_POST),
        "get",
    ),
    "reports:issue": (
        "post",
        _draft_report("reports:issue"),
        signed_in(403, **WRITERS_POST),
        "get",
    ),
}
