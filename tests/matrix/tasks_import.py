"""Rows for import of annexes, the template, the export."""

from django.urls import reverse

from tests.matrix import signed_in


def preview_url(request):
    """A batch of the plan waiting for the clerk's confirmation."""
    from tasks.models import ImportBatch

    plan = request.getfixturevalue("plan")
    clerk = request.getfixturevalue("clerk")
    batch = ImportBatch.objects.create(plan=plan, uploaded_by=clerk, original_name="phu-luc.xlsx")
    return reverse("tasks:import_preview", args=[plan.pk, batch.pk])


ROWS = {
    "tasks:export": ("get", "plan", signed_in(200, outsider=404), "post"),
    "tasks:import": ("get", "plan", signed_in(403, clerk=200, outsider=404), "put"),
    "tasks:import_preview": ("get", preview_url, signed_in(403, clerk=200, outsider=404), "put"),
    "tasks:import_template": ("get", None, signed_in(200), "post"),
}
