"""Legal documents become agency-owned (step 3 of 3): every document has its agency, and a number and
date are unique within one agency's list only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_legal_documents_per_agency")]

    operations = [
        migrations.AlterField(
            model_name="legaldocument",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="legal_documents",
                to="accounts.agency",
                verbose_name="cơ quan",
            ),
        ),
        migrations.AddConstraint(
            model_name="legaldocument",
            constraint=models.UniqueConstraint(
                fields=("agency", "number", "issued_on"),
                name="legal_document_unique_per_agency",
                violation_error_message="Văn bản có số, ký hiệu và ngày ban hành này đã có trong danh mục của cơ quan.",
            ),
        ),
    ]
