"""The days of the whole deployment that the `holidays` package lacks, from the official decisions.

The package (0.109) already has, for the years in use, every weekday off: Tết (04–08/02/2019,
16–20/02/2026 …), Giỗ Tổ Hùng Vương with its day off in lieu, 30/4, 1/5, 2/9, and the weekdays given
off in exchange for a Saturday (31/12/2018, 29/04/2019, 29/04/2024, 02/05/2025). What it cannot hold
is the Saturday then worked in exchange, since its calendar has no working days: those are seeded
here, each from the decision that set it. A swap that could not be checked against the decision is
left for an admin to record.
"""

import datetime

from django.db import migrations

WORKING_SATURDAYS = [
    # Công văn 6519/VPCP-KGVX ngày 11/7/2018 (nghỉ lễ, tết năm 2019)
    (datetime.date(2019, 1, 5), "Đi làm bù cho thứ Hai 31/12/2018 (Công văn 6519/VPCP-KGVX)"),
    (datetime.date(2019, 5, 4), "Đi làm bù cho thứ Hai 29/04/2019 (Công văn 6519/VPCP-KGVX)"),
    # Công văn 2450/VPCP-KGVX ngày 12/4/2024 (hoán đổi ngày làm việc dịp 30/4 và 1/5/2024)
    (datetime.date(2024, 5, 4), "Đi làm bù cho thứ Hai 29/04/2024 (Công văn 2450/VPCP-KGVX)"),
    # the Prime Minister's approval of the 30/4–1/5/2025 schedule (nghỉ 30/4 đến hết 4/5/2025)
    (datetime.date(2025, 4, 26), "Đi làm bù cho thứ Sáu 02/05/2025"),
]


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("cchc", "CalendarDay")
    for day, note in WORKING_SATURDAYS:
        CalendarDay.objects.get_or_create(
            agency=None, date=day, defaults={"kind": "working_day", "note": note}
        )


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("cchc", "CalendarDay")
    for day, note in WORKING_SATURDAYS:
        CalendarDay.objects.filter(agency=None, date=day, kind="working_day", note=note).delete()


class Migration(migrations.Migration):
    dependencies = [("cchc", "0001_calendar_days")]

    operations = [migrations.RunPython(seed, unseed)]
