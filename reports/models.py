"""The periodic CCHC report (báo cáo định kỳ: quý I, 6 tháng, quý III, năm) and the record of its edits."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import ExtractYear

from cchc import formatting, periods
from cchc.models import RecordedChange
from cchc.printing.signed import SignedDocument


class PeriodicReport(SignedDocument):
    """A periodic report on the results of a plan (Báo cáo kết quả thực hiện công tác CCHC).

    The figures, the figures by reform area and the annex rows are kept as they stood when drafted
    (`snapshot`), and the texts as the clerk edited them, so that the report prints the same way
    whatever changes afterwards; issuing locks the whole report.
    """

    Period = periods.Period

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="periodic_reports"
    )
    plan = models.ForeignKey(
        "plans.Plan", verbose_name="kế hoạch", on_delete=models.PROTECT, related_name="periodic_reports"
    )
    period = models.CharField("kỳ báo cáo", max_length=10, choices=Period.choices)
    year = models.PositiveSmallIntegerField("năm báo cáo")
    starts_on = models.DateField("số liệu từ ngày")
    ends_on = models.DateField("số liệu đến ngày")
    number = models.PositiveIntegerField(
        "số", null=True, blank=True, validators=[MinValueValidator(1, "Số văn bản phải từ 1 trở lên.")]
    )
    symbol = models.CharField("ký hiệu", max_length=40, help_text="Ví dụ BC-SKHĐT.")
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    introduction = models.TextField("mở đầu", blank=True)
    area_texts = models.JSONField(
        "kết quả, tồn tại theo lĩnh vực",
        default=list,
        blank=True,
        help_text="Mỗi lĩnh vực: area_id, name, results (kết quả), shortcomings (tồn tại, hạn chế).",
    )
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    next_tasks = models.TextField("nhiệm vụ trọng tâm kỳ tới", blank=True)
    proposals = models.TextField("đề xuất, kiến nghị", blank=True)
    snapshot = models.JSONField("số liệu đã chốt", default=dict, blank=True)
    snapshot_at = models.DateTimeField("chốt số liệu lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tạo", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "báo cáo định kỳ"
        verbose_name_plural = "báo cáo định kỳ"
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "agency",
                ExtractYear("issued_on"),
                "number",
                # a draft without number or date takes no number; the condition also keeps the check
                # from comparing the year of a missing date (PostgreSQL cannot type that NULL)
                condition=models.Q(number__isnull=False, issued_on__isnull=False),
                name="periodic_report_number_unique",
                violation_error_message="Số này đã được dùng cho một báo cáo khác của cơ quan trong cùng năm ban hành.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(number__gte=1),
                name="periodic_report_number_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="periodic_report_window_ordered",
                violation_error_message="Ngày kết thúc kỳ báo cáo phải sau hoặc trùng ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(issued_on__isnull=False),
                name="periodic_report_number_has_date",
                violation_error_message="Báo cáo có số thì phải có ngày ban hành.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(number__isnull=False, issued_on__isnull=False),
                name="periodic_report_issued_complete",
                violation_error_message="Báo cáo đã ban hành phải có số và ngày ban hành.",
            ),
            models.CheckConstraint(
                condition=models.Q(period__in=periods.Period.values),
                name="periodic_report_period_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "issued"]), name="periodic_report_status_known"
            ),
        ]
        indexes = [models.Index(fields=["plan", "ends_on"], name="periodic_report_plan_ends")]

    def __str__(self):
        if self.number:
            return f"Báo cáo số {self.number_symbol}"
        return f"Báo cáo {self.period_label} (dự thảo)"

    @property
    def number_symbol(self) -> str:
        """'05/BC-SKHĐT', or '     /BC-SKHĐT' while the report has no number."""
        if self.number:
            return formatting.document_number(self.number, self.symbol)
        return f"     /{self.symbol}"

    @property
    def period_label(self) -> str:
        """'quý I năm 2019', '6 tháng đầu năm 2019', 'từ ngày 01 tháng 02 năm 2019 đến ngày 30 tháng 4
        năm 2019'."""
        if self.period == self.Period.CUSTOM:
            return formatting.text_date_range(self.starts_on, self.ends_on)
        words = {
            self.Period.QUARTER_1: "quý I năm",
            self.Period.HALF_YEAR: "6 tháng đầu năm",
            self.Period.QUARTER_3: "quý III năm",
            self.Period.YEAR: "năm",
        }
        return f"{words[self.period]} {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT

    def clean(self):
        errors = {}
        if self.plan_id and self.agency_id and self.plan.agency_id != self.agency_id:
            errors["plan"] = "Kế hoạch phải thuộc cơ quan lập báo cáo."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "Ngày kết thúc kỳ báo cáo phải sau hoặc trùng ngày bắt đầu."
        elif (
            self.period in self.Period.values
            and self.period != self.Period.CUSTOM
            and self.year
            and (self.starts_on, self.ends_on) != periods.reporting_window(self.period, self.year)
        ):
            errors["period"] = "Thời gian lấy số liệu không khớp với kỳ báo cáo đã chọn."
        if self.number and not self.issued_on:
            errors["issued_on"] = "Báo cáo có số thì phải có ngày ban hành."
        errors.update(self.signing_errors())
        if errors:
            raise ValidationError(errors)


class PeriodicReportChange(RecordedChange):
    """One recorded edit of a periodic report."""

    report = models.ForeignKey(
        PeriodicReport, verbose_name="báo cáo", on_delete=models.CASCADE, related_name="changes"
    )

    class Meta(RecordedChange.Meta):
        verbose_name = "lịch sử thay đổi báo cáo định kỳ"
        verbose_name_plural = "lịch sử thay đổi báo cáo định kỳ"
