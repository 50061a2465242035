"""Rows for the printed documents: whoever reads the plan or report prints it."""

from django.urls import reverse

from tests.matrix import signed_in


def _plan_file(request):
    return reverse("plans:print", args=[request.getfixturevalue("plan").pk, "docx"])


def _report_file(request):
    from reports.services import report_create

    report = report_create(
        plan=request.getfixturevalue("plan"),
        by=request.getfixturevalue("clerk"),
        period="half_year",
        year=2019,
    )
    return reverse("reports:print", args=[report.pk, "xlsx"])


ROWS = {
    "plans:print": ("get", _plan_file, signed_in(200, outsider=404), "post"),
    "reports:print": ("get", _report_file, signed_in(200, outsider=404), "post"),
}
