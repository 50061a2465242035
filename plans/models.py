from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import ExtractYear

from cchc import formatting
from cchc.models import RecordedChange
from cchc.printing.signed import SignedDocument


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
    """A document a plan rests on (văn bản căn cứ), as one agency entered it: cited by that agency's
    plans only, so that what one agency types (issuer, summary) never changes what another agency reads
    or prints, even for the same number and date."""

    class Kind(models.TextChoices):
        LAW = "law", "Luật"
        DECREE = "decree", "Nghị định"
        CIRCULAR = "circular", "Thông tư"
        RESOLUTION = "resolution", "Nghị quyết"
        DECISION = "decision", "Quyết định"
        DIRECTIVE = "directive", "Chỉ thị"
        PLAN = "plan", "Kế hoạch"
        PROGRAMME = "programme", "Chương trình"
        GUIDANCE = "guidance", "Hướng dẫn"
        NOTICE = "notice", "Thông báo"
        REPORT = "report", "Báo cáo"
        REGULATION = "regulation", "Quy chế"
        RULE = "rule", "Quy định"
        SCHEME = "scheme", "Đề án"
        OFFICIAL_LETTER = "letter", "Công văn"

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name="cơ quan", on_delete=models.CASCADE, related_name="legal_documents"
    )
    kind = models.CharField("loại văn bản", max_length=12, choices=Kind.choices)
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
                fields=["agency", "number", "issued_on"],
                name="legal_document_unique_per_agency",
                violation_error_message="Văn bản có số, ký hiệu và ngày ban hành này đã có trong danh mục của cơ quan.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} số {self.number} ngày {formatting.short_date(self.issued_on)}"

    def citation(self) -> str:
        """'Nghị quyết số 30c/NQ-CP ngày 08 tháng 11 năm 2011 của Chính phủ về …' as a document's text cites
        it (a legal basis, the plan it implements): the date in full, by the header's rule (Phụ lục I)."""
        text = f"{self.get_kind_display()} số {self.number} {formatting.text_date(self.issued_on)} của {self.issuer}"
        return f"{text} {self.summary}" if self.summary else text


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
    issued_snapshot = models.JSONField(
        "văn bản khi ban hành",
        default=dict,
        blank=True,
        editable=False,
        help_text="Nội dung kế hoạch và phụ lục như đã ký: bản in lại của kế hoạch đã ban hành đọc từ đây.",
    )
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
        if self.implements_id and self.agency_id and self.implements.agency_id != self.agency_id:
            errors["implements"] = "Văn bản mà kế hoạch thực hiện phải thuộc danh mục văn bản của cơ quan."
        if self.issued_on and self.year and abs(self.issued_on.year - self.year) > 1:
            errors["year"] = "Năm kế hoạch phải gần với năm ban hành (chênh nhau không quá một năm)."
        errors.update(self.signing_errors())
        if errors:
            raise ValidationError(errors)


class PlanSection(models.Model):
    """A group of the plan's annex as written (I, II, III.1, III.1.1 …): the tree the tasks sit in.

    The label and title are kept as the plan writes them; the order is the written order (position
    among the siblings), held for the whole tree in sort_key ("1000310001" for III.1: see
    plans.services.section_sort_key), which the tasks' own sort keys start with. The reform area is
    the section's own or, when it has none, its parent's; a group that is no reform area ("Công tác
    chỉ đạo, điều hành") may have none at all."""

    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self",
        verbose_name="thuộc mục",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    label = models.CharField(
        "số mục", max_length=30, blank=True, help_text="Như trong kế hoạch: I, II, III.1…"
    )
    title = models.CharField("tên mục", max_length=1000, blank=True)
    area = models.ForeignKey(
        ReformArea,
        verbose_name="lĩnh vực CCHC",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sections",
        help_text="Trống: theo mục cha (hoặc không thuộc lĩnh vực nào).",
    )
    position = models.PositiveIntegerField("thứ tự trong mục cha")
    depth = models.PositiveSmallIntegerField("cấp", default=0, editable=False)
    sort_key = models.CharField(max_length=200, editable=False)

    class Meta:
        verbose_name = "mục của kế hoạch"
        verbose_name_plural = "mục của kế hoạch"
        ordering = ["plan_id", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "sort_key"], name="section_sort_key_unique"),
        ]

    def __str__(self):
        return " ".join(part for part in (self.label, self.title) if part) or "(mục không tên)"

    @property
    def effective_area(self):
        """The section's reform area, or its nearest ancestor's."""
        section = self
        while section is not None:
            if section.area_id is not None:
                return section.area
            section = section.parent
        return None

    @property
    def heading(self) -> str:
        """'III.1. Cải cách thủ tục hành chính' as a group row shows it."""
        if self.label and self.title:
            return f"{self.label.rstrip('.')}. {self.title}"
        return self.label or self.title


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


class PlanChange(RecordedChange):
    """One recorded edit of a plan."""

    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="changes")

    class Meta(RecordedChange.Meta):
        verbose_name = "lịch sử thay đổi kế hoạch"
        verbose_name_plural = "lịch sử thay đổi kế hoạch"
