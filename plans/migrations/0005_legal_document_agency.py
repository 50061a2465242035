"""Legal documents become agency-owned (step 1 of 3): the column, empty for now, and no more uniqueness
across agencies, so that 0006 can give each agency its own copy of a document it shared."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_account_events_closed_departments"),
        ("plans", "0004_plan_addressees_issued_snapshot"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="legaldocument", name="legal_document_unique_number_date"),
        migrations.AddField(
            model_name="legaldocument",
            name="agency",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="legal_documents",
                to="accounts.agency",
                verbose_name="cơ quan",
            ),
        ),
    ]
