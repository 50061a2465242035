"""The shipped default rubrics (evaluations/rubrics/*.json), created once each through the historical
models; the logic lives in evaluations.defaults."""

from django.db import migrations


def load_default_rubrics(apps, schema_editor):
    from evaluations.defaults import load_default_rubrics as load

    load(
        rubric_model=apps.get_model("evaluations", "Rubric"),
        criterion_model=apps.get_model("evaluations", "RubricCriterion"),
    )


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(load_default_rubrics, migrations.RunPython.noop)]
