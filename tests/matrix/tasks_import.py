"""Rows for import of annexes, the template, the export."""

from django.urls import reverse

from tests.matrix import Form, signed_in


def preview_url(request):
    """A batch of the plan waiting for the clerk's confirmation."""
    from tasks.models import ImportBatch

    plan = request.getfixturevalue("plan")
    clerk = request.getfixturevalue("clerk")
    batch = ImportBatch.objects.create(plan=plan, uploaded_by=clerk, original_name="phu-luc.xlsx")
    return reverse("tasks:import_preview", args=[plan.pk, batch.pk])


def _annex(request):
    """The import template itself, a valid annex with no task: the upload is kept as a batch."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import client_for

    clerk = request.getfixturevalue("clerk")
    content = client_for(clerk).get(reverse("tasks:import_template")).getvalue()
    return SimpleUploadedFile(
        "phu-luc.xlsx",
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


CLERK_PAGE = signed_in(403, clerk=200, outsider=404)

ROWS = {
    "tasks:export": ("get", "plan", signed_in(200, outsider=404), "post"),
    "tasks:import": ("get", "plan", CLERK_PAGE, "put"),
    "tasks:import_preview": ("get", preview_url, CLERK_PAGE, "put"),
    "tasks:import_template": ("get", None, signed_in(200), "post"),
}

FORMS = {
    "tasks:import": Form(signed_in(403, clerk=302, outsider=404), {"file": _annex}),
    # the batch discarded: its status written
    "tasks:import_preview": Form(signed_in(403, clerk=302, outsider=404), {"action": "discard"}),
}
