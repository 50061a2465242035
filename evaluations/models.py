"""Year-end CCHC scoring: rubrics (a tree of criteria with their points, scoring method and evidence),
rounds that copy a rubric and evaluate units (the departments of an agency, or the agencies of a
province), each unit's self-assessment and its appraisal.

A rubric is data. The shipped ones (evaluations/rubrics/*.json, loaded by a migration) are editable
defaults, not law; a round copies its rubric's criteria into RoundCriterion rows, so that editing a
rubric later never changes a round already run.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

POINTS = {"max_digits": 6, "decimal_places": 2}


class Scope(models.TextChoices):
    DEPARTMENTS = "departments", "Các phòng, đơn vị của cơ quan"
    AGENCIES = "agencies", "Các cơ quan, đơn vị của tỉnh"


class Method(models.TextChoices):
    """How a criterion is scored (a group's points are the sum of its criteria's)."""

    MANUAL = "manual", "Nhập điểm (từ 0 đến điểm tối đa)"
    YES_NO = "yes_no", "Có / Không (điểm tối đa hoặc 0)"
    THRESHOLDS = "thresholds", "Theo ngưỡng tỷ lệ"
    COMPUTED = "computed", "Tính từ kết quả thực hiện nhiệm vụ"
    GROUP = "group", "Nhóm (cộng điểm các tiêu chí con)"


class Measure(models.TextChoices):
    """What a computed criterion counts in the year's task record of the unit (evaluations.computed)."""

    COMPLETED = "completed", "Tỷ lệ nhiệm vụ được giao đã hoàn thành"
    ON_TIME = "on_time", "Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn"
    NOT_OVERDUE = "not_overdue", "Tỷ lệ nhiệm vụ không bị quá hạn"
    UPDATES = "updates", "Tỷ lệ kỳ báo cáo có báo cáo tiến độ"
    FIRST_TIME = "first_time", "Tỷ lệ báo cáo hoàn thành được duyệt ngay, không bị trả lại"


class Criterion(models.Model):
    """One node of a rubric's tree: an area (lĩnh vực), a criterion (tiêu chí) or a component criterion
    (tiêu chí thành phần). Leaves are scored; a group is the sum of its children."""

    parent = models.ForeignKey(
        "self", verbose_name="thuộc", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    area = models.ForeignKey(
        "self",
        verbose_name="lĩnh vực",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Nút trên cùng của nhánh (trống với chính lĩnh vực): điểm cộng theo lĩnh vực trong cơ sở dữ liệu.",
    )
    position = models.PositiveIntegerField("thứ tự", default=0)
    label = models.CharField("STT", max_length=20, blank=True, help_text="Như viết trong bảng: I, 1, 1.1, a…")
    title = models.TextField("tiêu chí, tiêu chí thành phần")
    max_points = models.DecimalField("điểm tối đa", validators=[MinValueValidator(Decimal(0))], **POINTS)
    method = models.CharField("cách chấm", max_length=20, choices=Method.choices, default=Method.MANUAL)
    rule = models.TextField(
        "cách tính điểm",
        blank=True,
        help_text="Như viết trong bảng, ví dụ “Có ban hành: điểm tối đa; không: 0”.",
    )
    thresholds = models.JSONField(
        "ngưỡng",
        default=list,
        blank=True,
        help_text="Với cách chấm theo ngưỡng hoặc tính từ nhiệm vụ: [[tỷ lệ % từ, phần điểm tối đa], …], "
        "ví dụ [[80, 1], [50, 0.5], [0, 0]]. Trống với tiêu chí tính từ nhiệm vụ: điểm theo đúng tỷ lệ.",
    )
    measure = models.CharField(
        "số liệu tính",
        max_length=20,
        choices=Measure.choices,
        blank=True,
        help_text="Với tiêu chí tính từ nhiệm vụ.",
    )
    evidence_required = models.BooleanField(
        "phải có tài liệu kiểm chứng",
        default=False,
        help_text="Khi bật, không nộp được nếu tiêu chí không có tệp kiểm chứng hoặc lời giải trình.",
    )
    evidence = models.TextField("tài liệu kiểm chứng", blank=True, help_text="Những tài liệu cần có.")

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.label} {self.title}".strip()

    @property
    def is_group(self) -> bool:
        return self.method == Method.GROUP


class Rubric(models.Model):
    """A criteria tree with its total: a shipped default (agency empty) or an agency's own."""

    name = models.CharField("tên bộ tiêu chí", max_length=255)
    scope = models.CharField("đối tượng chấm", max_length=20, choices=Scope.choices)
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rubrics",
        help_text="Trống: bộ tiêu chí mặc định dùng chung.",
    )
    total_points = models.DecimalField("tổng điểm", default=Decimal(100), **POINTS)
    note = models.TextField("ghi chú", blank=True)
    is_default = models.BooleanField(
        "mặc định (có thể sửa)",
        default=False,
        help_text="Bộ tiêu chí đi kèm phần mềm: mẫu để sửa, không phải văn bản pháp quy.",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ["scope", "name"]

    def __str__(self):
        return self.name


class RubricCriterion(Criterion):
    rubric = models.ForeignKey(
        Rubric, verbose_name="bộ tiêu chí", on_delete=models.CASCADE, related_name="criteria"
    )

    class Meta(Criterion.Meta):
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"


class Round(models.Model):
    """An evaluation round (đợt đánh giá) of one year: who is evaluated, by which copy of a rubric, when."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        SELF_ASSESSMENT = "self_assessment", "Đang tự đánh giá"
        APPRAISAL = "appraisal", "Đang thẩm định"
        FINALIZED = "finalized", "Đã chốt kết quả"
        PUBLISHED = "published", "Đã công bố"

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="cơ quan tổ chức",
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
        help_text="Sở tự chấm các phòng; Sở Nội vụ chấm các cơ quan của tỉnh.",
    )
    scope = models.CharField("đối tượng chấm", max_length=20, choices=Scope.choices)
    year = models.PositiveSmallIntegerField("năm đánh giá")
    title = models.CharField("tên đợt", max_length=255)
    rubric_name = models.CharField("bộ tiêu chí đã chép", max_length=255)
    total_points = models.DecimalField("tổng điểm", default=Decimal(100), **POINTS)
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT)
    self_from = models.DateField("tự đánh giá từ ngày")
    self_to = models.DateField("tự đánh giá đến ngày")
    appraisal_from = models.DateField("thẩm định từ ngày")
    appraisal_to = models.DateField("thẩm định đến ngày")
    cut_off = models.DateField(
        "số liệu tính đến ngày", help_text="Tiêu chí tính từ nhiệm vụ đọc tình trạng nhiệm vụ tại ngày này."
    )
    bands = models.JSONField(
        "xếp loại",
        default=list,
        help_text="[[điểm từ, tên xếp loại], …] từ cao xuống, ví dụ [[90, “Xuất sắc”], [80, “Tốt”], …, [0, “Yếu”]].",
    )
    appraisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="người thẩm định", blank=True, related_name="appraised_rounds"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người lập", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)

    class Meta:
        verbose_name = "đợt đánh giá"
        verbose_name_plural = "đợt đánh giá"
        ordering = ["-year", "title"]

    def __str__(self):
        return self.title


class RoundCriterion(Criterion):
    """A round's own copy of a rubric's criterion."""

    round = models.ForeignKey(
        Round, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="criteria"
    )

    class Meta(Criterion.Meta):
        verbose_name = "tiêu chí của đợt"
        verbose_name_plural = "tiêu chí của đợt"


class Unit(models.Model):
    """One unit evaluated in a round: a department (scope departments) or an agency (scope agencies)."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang tự đánh giá"
        SUBMITTED = "submitted", "Đã nộp"
        RETURNED = "returned", "Trả lại để bổ sung"
        APPRAISED = "appraised", "Đã thẩm định"

    round = models.ForeignKey(
        Round, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="units"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name="phòng, đơn vị", on_delete=models.PROTECT, null=True, blank=True
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name="cơ quan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField("trạng thái", max_length=20, choices=Status.choices, default=Status.OPEN)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nộp",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField("lý do trả lại", blank=True)
    illustrative = models.BooleanField(
        "số liệu minh họa", default=False, help_text="Dữ liệu mẫu, không phải kết quả đã công bố."
    )

    class Meta:
        verbose_name = "đơn vị được đánh giá"
        verbose_name_plural = "đơn vị được đánh giá"
        constraints = [
            models.UniqueConstraint(fields=["round", "department"], name="unit_department_once"),
            models.UniqueConstraint(fields=["round", "agency"], name="unit_agency_once"),
            models.CheckConstraint(
                condition=models.Q(department__isnull=True, agency__isnull=False)
                | models.Q(department__isnull=False, agency__isnull=True),
                name="unit_is_a_department_or_an_agency",
            ),
        ]

    def __str__(self):
        return str(self.department or self.agency)


class Score(models.Model):
    """A unit's self-score and its appraisal on one scored criterion of the round."""

    unit = models.ForeignKey(Unit, verbose_name="đơn vị", on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        RoundCriterion, verbose_name="tiêu chí", on_delete=models.CASCADE, related_name="scores"
    )
    declared = models.CharField(
        "số liệu kê khai",
        max_length=100,
        blank=True,
        help_text="Có / Không / Không áp dụng, hoặc một số, một tỷ lệ.",
    )
    self_points = models.DecimalField("điểm tự đánh giá", null=True, blank=True, **POINTS)
    explanation = models.TextField("giải trình", blank=True)
    computed_value = models.DecimalField(
        "tỷ lệ tính từ nhiệm vụ (%)", null=True, blank=True, max_digits=6, decimal_places=2
    )
    computed_numerator = models.PositiveIntegerField("số được tính (tử số)", null=True, blank=True)
    computed_denominator = models.PositiveIntegerField("trên số (mẫu số)", null=True, blank=True)
    appraised_points = models.DecimalField("điểm thẩm định", null=True, blank=True, **POINTS)
    appraisal_note = models.TextField("ý kiến thẩm định", blank=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "điểm"
        verbose_name_plural = "điểm"
        constraints = [models.UniqueConstraint(fields=["unit", "criterion"], name="score_once_per_criterion")]

    def __str__(self):
        return f"{self.unit} – {self.criterion}"


class ScoreEvidence(models.Model):
    """An evidence file of a self-score, kept as task evidence is (tasks.evidence)."""

    score = models.ForeignKey(
        Score, verbose_name="điểm", on_delete=models.CASCADE, related_name="evidence_files"
    )
    original_name = models.CharField("tên tệp", max_length=255)
    stored_name = models.CharField("tên lưu", max_length=255, unique=True)
    content_type = models.CharField("loại tệp", max_length=100)
    size = models.PositiveIntegerField("dung lượng")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tải lên", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"

    def __str__(self):
        return self.original_name


class RoundEvent(models.Model):
    """What happened to a round or a unit: opened, submitted, returned, finalized, reopened (with its
    reason), published."""

    round = models.ForeignKey(
        Round, verbose_name="đợt đánh giá", on_delete=models.CASCADE, related_name="events"
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    kind = models.CharField("việc", max_length=30)
    reason = models.TextField("lý do", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        verbose_name = "lịch sử đợt đánh giá"
        verbose_name_plural = "lịch sử đợt đánh giá"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.kind} – {self.round}"
