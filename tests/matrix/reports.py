"""Rows for the periodic CCHC reports of a plan: clerks and leaders write, the agency and overseers read.
A report is asked as a draft and issued (locked: nobody writes to it any more)."""

import datetime

from django.urls import reverse

from tests.matrix import REFUSED, Form, State, signed_in
from tests.matrix.forms import filled


def _report(request, *, issued=False):
    """A fresh 6-month report of the `plan` fixture drafted by its clerk; issued, locked, with `issued`."""
    from reports.models import PeriodicReport
    from reports.services import report_create

    report = report_create(
        plan=request.getfixturevalue("plan"),
        by=request.getfixturevalue("clerk"),
        period="half_year",
        year=2019,
    )
    if issued:  # the state itself is the point here, not the checks of issuing (tests/test_reports.py)
        PeriodicReport.objects.filter(pk=report.pk).update(
            status=PeriodicReport.Status.ISSUED, number=7, issued_on=datetime.date(2019, 6, 20)
        )
    return report


def _draft_report(name):
    """The URL `name` of a fresh draft 6-month report of the `plan` fixture, drafted by its clerk."""
    return lambda request: reverse(name, args=[_report(request).pk])


def _issued_report(name):
    return lambda request: reverse(name, args=[_report(request, issued=True).pk])


def _form_of_issued(request, url):
    """The edit form an issued report had as a draft (an issued one shows none), sent to it now."""
    from django.urls import resolve

    from reports.models import PeriodicReport

    reports = PeriodicReport.objects.filter(pk=resolve(url).kwargs["pk"])
    reports.update(status=PeriodicReport.Status.DRAFT)
    body = EDIT_FORM(request, url)
    reports.update(status=PeriodicReport.Status.ISSUED)
    return body


WRITERS = {"clerk": 200, "leader": 200, "outsider": 404}
WRITERS_POST = {"clerk": 302, "leader": 302, "outsider": 404}
EDIT_FORM = filled("clerk", proposals="Kiến nghị do ma trận viết")
LOCKED = signed_in(403, clerk=REFUSED, leader=REFUSED, outsider=404)

ROWS = {
    "reports:list": ("get", "plan", signed_in(200, outsider=404), "post"),
    "reports:create": ("get", "plan", signed_in(403, **WRITERS), "put"),
    "reports:detail": ("get", _draft_report("reports:detail"), signed_in(200, outsider=404), "post"),
    "reports:update": ("get", _draft_report("reports:update"), signed_in(403, **WRITERS), "delete"),
    "reports:refresh": ("post", _draft_report("reports:refresh"), signed_in(403, **WRITERS_POST), "get"),
    "reports:issue": ("post", _draft_report("reports:issue"), signed_in(403, **WRITERS_POST), "get"),
}

FORMS = {
    "reports:create": Form(signed_in(403, **WRITERS_POST), filled("clerk")),
    "reports:update": Form(signed_in(403, **WRITERS_POST), EDIT_FORM),
}

STATES = {
    "reports:detail": [State("issued", _issued_report("reports:detail"), signed_in(200, outsider=404))],
    "reports:update": [
        State("issued", _issued_report("reports:update"), LOCKED, Form(LOCKED, _form_of_issued))
    ],
    "reports:refresh": [State("issued", _issued_report("reports:refresh"), LOCKED)],
    "reports:issue": [State("issued", _issued_report("reports:issue"), LOCKED)],
}
