"""Rows for the periodic CCHC reports of a plan: clerks and leaders write, the agency and overseers read."""

from django.urls import reverse

from tests.matrix import signed_in


def _draft_report(name):
    """The URL `name` of a fresh draft 6-month report of the `plan` fixture, drafted by its clerk."""

    def build(request):
        from plans.report_services import report_create

        report = report_create(
            plan=request.getfixturevalue("plan"),
            by=request.getfixturevalue("clerk"),
            period="sau_thang",
            year=2019,
        )
        return reverse(name, args=[report.pk])

    return build


WRITERS = {"clerk": 200, "leader": 200, "outsider": 404}
WRITERS_POST = {"clerk": 302, "leader": 302, "outsider": 404}

ROWS = {
    "plans:report_list": ("get", "plan", signed_in(200, outsider=404), "post"),
    "plans:report_create": ("get", "plan", signed_in(403, **WRITERS), "put"),
    "plans:report_detail": (
        "get",
        _draft_report("plans:report_detail"),
        signed_in(200, outsider=404),
        "post",
    ),
    "plans:report_update": ("get", _draft_report("plans:report_update"), signed_in(403, **WRITERS), "delete"),
    "plans:report_refresh": (
        "post",
        _draft_report("plans:report_refresh"),
        signed_in(403, **WRITERS_POST),
        "get",
    ),
    "plans:report_issue": (
        "post",
        _draft_report("plans:report_issue"),
        signed_in(403, **WRITERS_POST),
        "get",
    ),
}
