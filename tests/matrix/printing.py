"""Rows for the printed documents: whoever reads the plan or report prints it."""

from django.urls import reverse

from tests.matrix import signed_in


def _plan_file(request):
    return reverse("plans:print", args=[request.getfixturevalue("plan").pk, "docx"])


def _report_file(request):
    from plans.report_services import report_create

    report = report_create(
        plan=request.getfixturevalue("plan"),
        by=request.getfixturevalue("clerk"),
        period="sau_thang",
        year=2019,
    )
    return reverse("plans:report_print", args=[report.pk, "xlsx"])


ROWS = {
    "plans:print": ("get", _plan_file, signed_in(200, outsider=404), "post"),
    "plans:report_print": ("get", _report_file, signed_in(200, outsider=404), "post"),
}
