from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import ExtractYear

from cchc import formatting


class ReformAreaSet(models.Model):
    """The reform areas of one programme period: NQ 30c (2011–2020), NQ 76 (2021–2030)."""

    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên", max_length=255)
    first_year = models.PositiveSmallIntegerField("từ năm")
    last_year = models.PositiveSmallIntegerField("đến năm")

    class Meta:
        verbose_name = "bộ lĩnh vực CCHC"
        verbose_name_plural = "bộ lĩnh vực CCHC"
        ordering = ["first_year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_year__lte=models.F("last_year")), name="area_set_years_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.first_year}–{self.last_year})"

    @classmethod
    def for_year(cls, year: int):
        return cls.objects.filter(first_year__lte=year, last_year__gte=year).first()


class ReformArea(models.Model):
    area_set = models.ForeignKey(
        ReformAreaSet, verbose_name="bộ lĩnh vực", on_delete=models.CASCADE, related_name="areas"
    )
    position = models.PositiveSmallIntegerField("thứ tự")
    name = models.CharField("tên lĩnh vực", max_length=255)

    class Meta:
        verbose_name = "lĩnh vực CCHC"
        verbose_name_plural = "lĩnh vực CCHC"
        ordering = ["area_set_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["area_set", "position"], name="reform_area_position_unique"),
        ]

    def __str__(self):
        return self.name


class LegalDocument(models.Model):
    """A document a plan rests on (văn bản căn cứ); shared by every plan that cites it."""

    class Kind(models.TextChoices):
        LAW = "LUAT", "Luật"
        DECREE = "ND", "Nghị định"
        CIRCULAR = "TT", "Thông tư"
        RESOLUTION = "NQ", "Nghị quyết"
        DECISION = "QD", "Quyết định"
        DIRECTIVE = "CT", "Chỉ thị"
        PLAN = "KH", "Kế hoạch"
        PROGRAMME = "CTr", "Chương trình"
        GUIDANCE = "HD", "Hướng dẫn"
        NOTICE = "TB", "Thông báo"
        REPORT = "BC", "Báo cáo"
        REGULATION = "QC", "Quy chế"
        RULE = "QyD", "Quy định"
        SCHEME = "DA", "Đề án"
        OFFICIAL_LETTER = "CV", "Công văn"

    kind = models.CharField("loại văn bản", max_length=5, choices=Kind.choices)
    number = models.CharField(
        "số, ký hiệu", max_length=60, help_text="Ví dụ 30c/NQ-CP; công văn không có tên loại: 12/SKHĐT-VP."
    )
    issued_on = models.DateField("ngày ban hành")
    issuer = models.CharField(
        "cơ quan ban hành", max_length=255, help_text="Ví dụ Chính phủ, UBND tỉnh Vĩnh Phúc."
    )
    summary = models.CharField("trích yếu", max_length=500, blank=True)

    class Meta:
        verbose_name = "văn bản căn cứ"
        verbose_name_plural = "văn bản căn cứ"
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "issued_on"],
                name="legal_document_unique_number_date",
                violation_error_message="Văn bản có số, ký hiệu và ngày ban hành này đã có trong danh mục.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} số {self.number} ngày {formatting.short_date(self.issued_on)}"

    def citation(self) -> str:
        """'Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ về …' as cited in a legal basis."""
        text = f"{self} của {self.issuer}"
        return f"{text} {self.summary}" if self.summary else text


class SignedDocument(models.Model):
    """What every official document the agency signs carries (Phụ lục I of Nghị định 30/2020): the
    place in the date line, the signing authority and signer, and the recipients."""

    class Authority(models.TextChoices):
        NONE = "", "Ký trực tiếp"
        KT = "KT.", "KT. (ký thay)"
        TM = "TM.", "TM. (thay mặt)"
        TL = "TL.", "TL. (thừa lệnh)"
        Q = "Q.", "Q. (quyền)"

    place_name = models.CharField("địa danh", max_length=100)
    signing_authority = models.CharField(
        "thẩm quyền ký", max_length=4, choices=Authority.choices, blank=True, default=""
    )
    authority_title = models.CharField(
        "chức vụ người đứng đầu", max_length=100, blank=True, help_text="Ví dụ GIÁM ĐỐC, sau KT."
    )
    signer_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("họ tên người ký", max_length=150, blank=True)
    recipients = models.TextField(
        "nơi nhận", blank=True, help_text="Mỗi dòng một nơi nhận; dòng cuối: Lưu: VT, …"
    )

    class Meta:
        abstract = True

    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    def signing_errors(self) -> dict[str, str]:
        """The rules of the signature block and the recipients, by field, for clean()."""
        errors = {}
        recipients = self.recipient_list()
        if recipients and not recipients[-1].lstrip("-– ").lower().startswith("lưu"):
            errors["recipients"] = "Dòng cuối của nơi nhận phải là nơi lưu văn bản, ví dụ “Lưu: VT, VP.”."
        if self.signing_authority and not self.authority_title:
            errors["authority_title"] = (
                "Ký thay, thay mặt, thừa lệnh hoặc quyền cần chức vụ người đứng đầu (ví dụ GIÁM ĐỐC)."
            )
        return errors

    def missing_elements(self, *, number: str, date: str) -> list[str]:
        """What the document lacks to be issued or printed as issued, one sentence per item;
        `number` and `date` name the first two in the document's own words."""
        checks = (
            (self.number, number),
            (self.issued_on, date),
            (self.signer_name, "Chưa có họ tên người ký."),
            (self.signer_position, "Chưa có chức vụ người ký."),
            (self.recipient_list(), "Chưa có nơi nhận."),
        )
        return [message for value, message in checks if not value]


class Plan(SignedDocument):
    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"
        CLOSED = "closed", "Đã kết thúc"

    LOCKED_WHEN_ISSUED = (
        "number",
        "symbol",
        "issued_on",
        "signing_authority",
        "authority_title",
        "signer_position",
        "signer_name",
    )

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="plans"
    )
    number = models.PositiveIntegerField(
        "số", validators=[MinValueValidator(1, "Số văn bản phải từ 1 trở lên.")]
    )
    symbol = models.CharField("ký hiệu", max_length=40, help_text="Ví dụ KH-SKHĐT.")
    issued_on = models.DateField("ngày ban hành")
    year = models.PositiveSmallIntegerField("năm kế hoạch")
    title = models.CharField(
        "trích yếu", max_length=500, help_text="Ví dụ Cải cách hành chính năm 2019 của Sở Kế hoạch và Đầu tư."
    )
    area_set = models.ForeignKey(
        ReformAreaSet, verbose_name="bộ lĩnh vực CCHC", on_delete=models.PROTECT, related_name="plans"
    )
    implements = models.ForeignKey(
        LegalDocument,
        verbose_name="thực hiện văn bản",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementing_plans",
        help_text="Kế hoạch cấp trên mà kế hoạch này triển khai.",
    )
    legal_bases = models.ManyToManyField(
        LegalDocument,
        verbose_name="căn cứ",
        through="PlanLegalBasis",
        related_name="cited_by_plans",
        blank=True,
    )
    purpose = models.TextField("mục đích", blank=True)
    requirements = models.TextField("yêu cầu", blank=True)
    arrangements = models.TextField("tổ chức thực hiện", blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "kế hoạch"
        verbose_name_plural = "kế hoạch"
        ordering = ["-year", "-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(
                "agency",
                ExtractYear("issued_on"),
                "number",
                name="plan_number_unique_per_agency_year",
                violation_error_message="Số này đã được dùng cho một kế hoạch khác của cơ quan trong cùng năm ban hành.",
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="plan_number_positive"),
        ]
        indexes = [models.Index(fields=["agency", "year"], name="plan_agency_year")]

    def __str__(self):
        return f"Kế hoạch số {self.number_symbol}"

    @property
    def number_symbol(self) -> str:
        return formatting.document_number(self.number, self.symbol)

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT

    def clean(self):
        errors = {}
        if self.issued_on and self.year and abs(self.issued_on.year - self.year) > 1:
            errors["year"] = "Năm kế hoạch phải gần với năm ban hành (chênh nhau không quá một năm)."
        errors.update(self.signing_errors())
        if errors:
            raise ValidationError(errors)


class PlanLegalBasis(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="basis_links"
    )
    document = models.ForeignKey(
        LegalDocument, verbose_name="văn bản", on_delete=models.PROTECT, related_name="basis_links"
    )
    position = models.PositiveSmallIntegerField("thứ tự")

    class Meta:
        verbose_name = "căn cứ của kế hoạch"
        verbose_name_plural = "căn cứ của kế hoạch"
        ordering = ["plan_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="plan_basis_position_unique"),
            models.UniqueConstraint(fields=["plan", "document"], name="plan_basis_document_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.document}"


class PlanChange(models.Model):
    """One recorded edit of a plan: who, when, and each field's old and new value."""

    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thay đổi", on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField("thời điểm", auto_now_add=True)
    action = models.CharField("thao tác", max_length=100)
    changes = models.JSONField("nội dung thay đổi", default=list, blank=True)

    class Meta:
        verbose_name = "lịch sử thay đổi kế hoạch"
        verbose_name_plural = "lịch sử thay đổi kế hoạch"
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.action} – {self.changed_by}"


class Report(SignedDocument):
    """A periodic report on the results of a plan (Báo cáo kết quả thực hiện công tác CCHC).

    The figures, the figures by reform area and the annex rows are kept as they stood when drafted
    (`snapshot`), and the texts as the clerk edited them, so that the report prints the same way
    whatever changes afterwards; issuing locks the whole report.
    """

    class Period(models.TextChoices):
        QUARTER_1 = "quy_1", "Quý I"
        HALF_YEAR = "sau_thang", "6 tháng đầu năm"
        QUARTER_3 = "quy_3", "Quý III"
        YEAR = "nam", "Năm"
        CUSTOM = "tuy_chon", "Tùy chọn"

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name="cơ quan", on_delete=models.PROTECT, related_name="reports"
    )
    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.PROTECT, related_name="reports")
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
        verbose_name = "báo cáo CCHC"
        verbose_name_plural = "báo cáo CCHC"
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "agency",
                ExtractYear("issued_on"),
                "number",
                # a draft without number or date takes no number; the condition also keeps the check
                # from comparing the year of a missing date (PostgreSQL cannot type that NULL)
                condition=models.Q(number__isnull=False, issued_on__isnull=False),
                name="report_number_unique_per_agency_year",
                violation_error_message="Số này đã được dùng cho một báo cáo khác của cơ quan trong cùng năm ban hành.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(number__gte=1),
                name="report_number_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="report_window_ordered",
                violation_error_message="Ngày kết thúc kỳ báo cáo phải sau hoặc trùng ngày bắt đầu.",
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(issued_on__isnull=False),
                name="report_number_has_date",
                violation_error_message="Báo cáo có số thì phải có ngày ban hành.",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(number__isnull=False, issued_on__isnull=False),
                name="report_issued_has_number_and_date",
                violation_error_message="Báo cáo đã ban hành phải có số và ngày ban hành.",
            ),
            models.CheckConstraint(
                condition=models.Q(period__in=["quy_1", "sau_thang", "quy_3", "nam", "tuy_chon"]),
                name="report_period_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "issued"]), name="report_status_known"
            ),
        ]
        indexes = [models.Index(fields=["plan", "ends_on"], name="report_plan_ends")]

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
        """'quý I năm 2019', '6 tháng đầu năm 2019', 'từ ngày 01/02/2019 đến ngày 30/04/2019'."""
        if self.period == self.Period.CUSTOM:
            return f"từ ngày {formatting.short_date(self.starts_on)} đến ngày {formatting.short_date(self.ends_on)}"
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
        from plans.reports import period_window  # the windows live with the report's other rules

        errors = {}
        if self.plan_id and self.agency_id and self.plan.agency_id != self.agency_id:
            errors["plan"] = "Kế hoạch phải thuộc cơ quan lập báo cáo."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "Ngày kết thúc kỳ báo cáo phải sau hoặc trùng ngày bắt đầu."
        elif (
            self.period in self.Period.values
            and self.period != self.Period.CUSTOM
            and self.year
            and (self.starts_on, self.ends_on) != period_window(self.period, self.year)
        ):
            errors["period"] = "Thời gian lấy số liệu không khớp với kỳ báo cáo đã chọn."
        if self.number and not self.issued_on:
            errors["issued_on"] = "Báo cáo có số thì phải có ngày ban hành."
        errors.update(self.signing_errors())
        if errors:
            raise ValidationError(errors)
