"""The days an admin records in the working calendar (read by cchc.periods), and the abstract record of
an edit that plans and periodic reports keep."""

from django.conf import settings
from django.db import models


class CalendarDay(models.Model):
    """A day that the rule of cchc.periods (Monday to Friday, less the public holidays of the
    `holidays` package) gets wrong: an extra day off, or a working day such as the Saturday worked in
    exchange for a bridging day off. With no agency it applies to every agency of the deployment; a
    day recorded for an agency beats it for that agency."""

    class Kind(models.TextChoices):
        """What the recorded day makes of its date."""

        DAY_OFF = "day_off", "Ngày nghỉ"
        WORKING_DAY = "working_day", "Ngày làm việc"

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_days",
        help_text="Để trống nếu ngày này áp dụng cho mọi cơ quan.",
    )
    date = models.DateField("ngày")
    kind = models.CharField("loại ngày", max_length=20, choices=Kind.choices)
    note = models.CharField(
        "ghi chú",
        max_length=200,
        blank=True,
        help_text="Ví dụ: Nghỉ bù; Đi làm bù cho thứ Hai 29/04/2019 (Công văn 6519/VPCP-KGVX).",
    )

    class Meta:
        verbose_name = "ngày điều chỉnh lịch làm việc"
        verbose_name_plural = "ngày điều chỉnh lịch làm việc"
        ordering = ["-date", "agency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "date"],
                name="calendar_day_one_per_agency_and_date",
                violation_error_message="Cơ quan này đã có một điều chỉnh cho ngày này.",
            ),
            # NULLs are distinct in the constraint above: the days of the whole deployment need their own
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(agency__isnull=True),
                name="calendar_day_one_per_date_for_all_agencies",
                violation_error_message="Lịch chung của mọi cơ quan đã có một điều chỉnh cho ngày này.",
            ),
        ]

    def __str__(self) -> str:
        text = f"{self.date:%d/%m/%Y}: {self.get_kind_display()}"
        return f"{text} ({self.note})" if self.note else text


class RecordedChange(models.Model):
    """One recorded edit of a document (a plan, a periodic report): who, when, what was done, and each
    field's old and new value ({"field", "old", "new"}), as the services write it."""

    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thay đổi", on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField("thời điểm", auto_now_add=True)
    action = models.CharField("thao tác", max_length=100)
    changes = models.JSONField("nội dung thay đổi", default=list, blank=True)

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.action} – {self.changed_by}"
