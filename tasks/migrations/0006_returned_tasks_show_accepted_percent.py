from django.db import migrations
from django.db.models import F


def accepted_percent(apps, schema_editor):
    """A task whose newest report was returned shows the percent of its latest report that was not
    (0 when there is none), no longer the returned one."""
    Task = apps.get_model("tasks", "Task")
    ProgressUpdate = apps.get_model("tasks", "ProgressUpdate")
    for task in Task.objects.filter(state="in_progress").exclude(returned_reason="").only("pk", "percent"):
        kept = (
            ProgressUpdate.objects.filter(task_id=task.pk)
            .exclude(review="returned")
            .order_by("-reported_at", "-pk")
            .values_list("percent", flat=True)
            .first()
        )
        if (kept or 0) != task.percent:
            Task.objects.filter(pk=task.pk).update(percent=kept or 0, revision=F("revision") + 1)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0005_progress_reasons_and_direction_replies")]

    operations = [migrations.RunPython(accepted_percent, migrations.RunPython.noop)]
