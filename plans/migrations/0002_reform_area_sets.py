"""The reform areas of the two national programmes, as data (DOMAIN.md §4)."""

from django.db import migrations

from plans.reform_areas import ensure_area_sets


def load_area_sets(apps, schema_editor):
    ensure_area_sets(apps.get_model("plans", "ReformAreaSet"), apps.get_model("plans", "ReformArea"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_plans_legal_bases_reform_areas")]

    operations = [migrations.RunPython(load_area_sets, migrations.RunPython.noop)]
