"""Year-end rating of civil servants (đánh giá, xếp loại chất lượng) and emulation titles (danh hiệu
thi đua), from the year's task record.

A round (one per agency and year) holds its rules as data: the scheme in force that year (NĐ 335/2025:
points; NĐ 90/2020 as amended by NĐ 48/2023: criteria), the maxima, the bands and the cap (ratings.rules
gives the defaults per year). Each person of the agency's departments has a Rating: their form
(self-review, self-proposed level), the counts of their task record on the round's cut-off, the head's
general points, comment and proposal, and the leader's decision, which locks it until a recorded reopen.

Emulation: registrations at the start of the year, initiatives, discipline records, and the titles
proposed (Nomination), with the council's ballot and the leader's decision recognising them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

POINTS = {"max_digits": 5, "decimal_places": 2}


class Scheme(models.TextChoices):
    POINTS = "points", "Chấm điểm 100 (Nghị định 335/2025/NĐ-CP)"
    CRITERIA = (
        "criteria",
        "Theo tiêu chí, không chấm điểm (Nghị định 90/2020/NĐ-CP, sửa đổi bởi Nghị định 48/2023/NĐ-CP)",
    )


class Level(models.TextChoices):
    """The four levels, best first (LEVELS_BEST_FIRST)."""

    HTXS = "htxs", "Hoàn thành xuất sắc nhiệm vụ"
    HTT = "htt", "Hoàn thành tốt nhiệm vụ"
    HTNV = "htnv", "Hoàn thành nhiệm vụ"
    KHTNV = "khtnv", "Không hoàn thành nhiệm vụ"


LEVELS_BEST_FIRST = [Level.HTXS, Level.HTT, Level.HTNV, Level.KHTNV]
SHORT = {Level.HTXS: "HTXS", Level.HTT: "HTT", Level.HTNV: "HTNV", Level.KHTNV: "KHTNV"}


def better(level: str, than: str) -> bool:
    """`level` is strictly better than `than`."""
    return LEVELS_BEST_FIRST.index(level) < LEVELS_BEST_FIRST.index(than)


class Round(models.Model):
    """The rating of one agency's people for one year, with its rules."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang đánh giá"
        CLOSED = "closed", "Đã kết thúc"

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name="cơ quan", on_delete=models.CASCADE, related_name="rating_rounds"
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN)
    cut_off = models.DateField(
        "số liệu nhiệm vụ tính đến ngày",
        help_text="Kết quả thực hiện nhiệm vụ của mỗi người được tính theo tình trạng nhiệm vụ vào ngày này.",
    )
    scheme = models.CharField("phương pháp", max_length=10, choices=Scheme.choices)
    general_max = models.DecimalField(
        "điểm tối đa tiêu chí chung", **POINTS, default=Decimal(30), validators=[MinValueValidator(0)]
    )
    quantity_max = models.DecimalField(
        "điểm tối đa số lượng", **POINTS, default=Decimal(20), validators=[MinValueValidator(0)]
    )
    quality_max = models.DecimalField(
        "điểm tối đa chất lượng", **POINTS, default=Decimal(30), validators=[MinValueValidator(0)]
    )
    timeliness_max = models.DecimalField(
        "điểm tối đa tiến độ", **POINTS, default=Decimal(20), validators=[MinValueValidator(0)]
    )
    htxs_from = models.DecimalField("HTXS từ (điểm)", **POINTS, default=Decimal(90))
    htt_from = models.DecimalField("HTT từ (điểm)", **POINTS, default=Decimal(70))
    htnv_from = models.DecimalField("HTNV từ (điểm)", **POINTS, default=Decimal(50))
    cap_percent = models.PositiveSmallIntegerField(
        "tỷ lệ HTXS tối đa (% số HTT)", default=20, validators=[MaxValueValidator(100)]
    )
    early_days = models.PositiveSmallIntegerField(
        "vượt tiến độ khi hoàn thành trước hạn từ (ngày)",
        default=5,
        validators=[MaxValueValidator(365)],
        help_text="Nhiệm vụ hoàn thành đúng hạn và sớm hơn hạn ít nhất số ngày này được tính là vượt tiến độ.",
    )
    min_months = models.PositiveSmallIntegerField(
        "số tháng công tác tối thiểu để xếp loại", default=6, validators=[MaxValueValidator(12)]
    )
    cap_justification = models.TextField("lý do vượt tỷ lệ HTXS", blank=True)
    cap_justified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    council_members = models.PositiveSmallIntegerField(
        "số thành viên Hội đồng thi đua, khen thưởng", default=0
    )
    decision_number = models.CharField("số quyết định công nhận danh hiệu", max_length=50, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    titles_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    titles_decided_at = models.DateTimeField("quyết định danh hiệu lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "đợt đánh giá, xếp loại"
        verbose_name_plural = "đợt đánh giá, xếp loại"
        ordering = ["-year", "pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="rating_round_one_per_year")]

    def __str__(self):
        return f"Đánh giá, xếp loại năm {self.year}"

    @property
    def title(self) -> str:
        return f"Đánh giá, xếp loại chất lượng công chức, viên chức năm {self.year}"

    @property
    def task_max(self) -> Decimal:
        return self.quantity_max + self.quality_max + self.timeliness_max

    @property
    def total_max(self) -> Decimal:
        return self.general_max + self.task_max

    @property
    def points(self) -> bool:
        return self.scheme == Scheme.POINTS

    @property
    def titles_decided(self) -> bool:
        return self.titles_decided_at is not None


class Rating(models.Model):
    """One person's rating in a round: their form, their task record, the head's part, the decision."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang tự đánh giá"
        SUBMITTED = "submitted", "Đã gửi phiếu, chờ nhận xét"
        PROPOSED = "proposed", "Đã đề xuất, chờ quyết định"
        DECIDED = "decided", "Đã quyết định"

    round = models.ForeignKey(Round, verbose_name="đợt", on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người được đánh giá",
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name="phòng, đơn vị", on_delete=models.PROTECT, related_name="ratings"
    )
    position = models.CharField("chức vụ", max_length=150, blank=True)
    is_head = models.BooleanField(
        "người đứng đầu phòng",
        default=False,
        help_text="Trưởng phòng, phó trưởng phòng: lãnh đạo Sở đánh giá.",
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    months_worked = models.DecimalField(
        "số tháng công tác trong năm",
        max_digits=4,
        decimal_places=1,
        default=Decimal(12),
        validators=[MinValueValidator(0), MaxValueValidator(12)],
    )
    maternity = models.BooleanField(
        "nghỉ chế độ thai sản",
        default=False,
        help_text="Người nghỉ thai sản vẫn được xếp loại theo thời gian làm việc thực tế.",
    )
    # The person's form (phiếu đánh giá).
    self_review = models.TextField("tự nhận xét ưu, khuyết điểm", blank=True)
    self_level = models.CharField("tự xếp loại", max_length=6, choices=Level.choices, blank=True)
    submitted_at = models.DateTimeField("gửi phiếu lúc", null=True, blank=True)
    # The task record on the cut-off (ratings.record), kept with the points computed from it.
    assigned = models.PositiveIntegerField("số nhiệm vụ được giao", default=0)
    completed = models.PositiveIntegerField("số nhiệm vụ hoàn thành", default=0)
    met = models.PositiveIntegerField("số nhiệm vụ hoàn thành đạt yêu cầu", default=0)
    on_time = models.PositiveIntegerField("số nhiệm vụ hoàn thành đúng hạn hoặc trước hạn", default=0)
    early = models.PositiveIntegerField("số nhiệm vụ hoàn thành vượt tiến độ", default=0)
    on_time_met = models.PositiveIntegerField("số nhiệm vụ đúng hạn và đạt yêu cầu", default=0)
    task_points = models.DecimalField("điểm kết quả thực hiện nhiệm vụ", **POINTS, null=True, blank=True)
    task_points_by_head = models.BooleanField(
        "điểm nhiệm vụ do người đánh giá chấm",
        default=False,
        help_text="Khi không có nhiệm vụ được giao trên phần mềm.",
    )
    counted_at = models.DateTimeField("tính lúc", null=True, blank=True)
    # The head's part (a leader's for a head of department).
    general_points = models.DecimalField("điểm tiêu chí chung", **POINTS, null=True, blank=True)
    general_met = models.BooleanField("đạt tiêu chí chung", null=True, blank=True)
    head_comment = models.TextField("nhận xét của người đánh giá", blank=True)
    proposed_level = models.CharField("mức đề xuất", max_length=6, choices=Level.choices, blank=True)
    proposal_reason = models.TextField("lý do đề xuất khác mức gợi ý", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField("đề xuất lúc", null=True, blank=True)
    # The leader's decision.
    decided_level = models.CharField("mức quyết định", max_length=6, choices=Level.choices, blank=True)
    decision_note = models.TextField("ý kiến của lãnh đạo", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("quyết định lúc", null=True, blank=True)

    class Meta:
        verbose_name = "phiếu đánh giá, xếp loại"
        verbose_name_plural = "phiếu đánh giá, xếp loại"
        ordering = ["department__position", "department__name", "-is_head", "person__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="rating_one_per_person")]

    def __str__(self):
        return f"{self.person} — năm {self.round.year}"

    @property
    def decided(self) -> bool:
        return self.status == self.Status.DECIDED

    @property
    def total_points(self) -> Decimal | None:
        if self.general_points is None or self.task_points is None:
            return None
        return self.general_points + self.task_points


class RatingEvent(models.Model):
    """What happened to a rating, in order: the history a reopen needs."""

    class Kind(models.TextChoices):
        SUBMIT = "submit", "Gửi phiếu tự đánh giá"
        PROPOSE = "propose", "Nhận xét, đề xuất mức xếp loại"
        DECIDE = "decide", "Quyết định xếp loại"
        REOPEN = "reopen", "Mở lại để sửa"

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("việc", max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    level = models.CharField("mức", max_length=6, choices=Level.choices, blank=True)
    note = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.rating}"


class RoundEvent(models.Model):
    """What happened to a round as a whole: the cap's justification, the titles decided or reopened."""

    class Kind(models.TextChoices):
        CAP = "cap", "Ghi lý do vượt tỷ lệ HTXS"
        TITLES = "titles", "Quyết định công nhận danh hiệu thi đua"
        REOPEN_TITLES = "reopen", "Mở lại danh hiệu thi đua"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("việc", max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    # Emulation --------------------------------------------------------------------------------------------

    def __str__(self):
        return f"{self.get_kind_display()} — {self.round}"


class Title(models.TextChoices):
    LDTT = "ldtt", "Lao động tiên tiến"
    CSTDCS = "cstdcs", "Chiến sĩ thi đua cơ sở"
    TT_LDTT = "tt_ldtt", "Tập thể lao động tiên tiến"
    TT_LDXS = "tt_ldxs", "Tập thể lao động xuất sắc"


PERSONAL_TITLES = (Title.LDTT, Title.CSTDCS)
COLLECTIVE_TITLES = (Title.TT_LDTT, Title.TT_LDXS)


class PersonOrDepartment(models.Model):
    """Of a person (a personal title) or of a department (a collective title), never both."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cá nhân",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name="tập thể",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, department__isnull=True)
                | models.Q(person__isnull=True, department__isnull=False),
                name="%(class)s_person_or_department",
            )
        ]

    def __str__(self):
        return f"{self.person or self.department} — {self.get_title_display()}"


class Registration(PersonOrDepartment):
    """Đăng ký thi đua at the start of the year: a person or a department registers for a title."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="registrations")
    title = models.CharField("danh hiệu đăng ký", max_length=10, choices=Title.choices)
    registered_on = models.DateField("ngày đăng ký")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["registered_on", "pk"]
        constraints = [
            *PersonOrDepartment.Meta.constraints,
            models.UniqueConstraint(fields=["round", "person"], name="registration_one_per_person"),
            models.UniqueConstraint(fields=["round", "department"], name="registration_one_per_department"),
        ]


class Initiative(models.Model):
    """A recognised initiative (sáng kiến) of a person: one of the ways to Chiến sĩ thi đua cơ sở."""

    class Level(models.TextChoices):
        BASE = "base", "Cấp cơ sở"
        PROVINCE = "province", "Cấp tỉnh"
        NATIONAL = "national", "Cấp toàn quốc"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="initiatives")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="tác giả", on_delete=models.CASCADE, related_name="initiatives"
    )
    title = models.CharField("tên sáng kiến", max_length=500)
    recognised_on = models.DateField("ngày được công nhận")
    level = models.CharField("cấp công nhận", max_length=10, choices=Level.choices, default=Level.BASE)
    decision = models.CharField("quyết định công nhận", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "sáng kiến"
        verbose_name_plural = "sáng kiến"
        ordering = ["-recognised_on", "pk"]

    def __str__(self):
        return self.title


class Discipline(models.Model):
    """A disciplinary measure (kỷ luật) on a person, in force from its date."""

    class Form(models.TextChoices):
        REPRIMAND = "reprimand", "Khiển trách"
        WARNING = "warning", "Cảnh cáo"
        DEMOTION = "demotion", "Hạ bậc lương"
        DOWNGRADE = "downgrade", "Giáng chức"
        DISMISSAL = "dismissal", "Cách chức"
        DISCHARGE = "discharge", "Buộc thôi việc"

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="disciplines")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người bị kỷ luật",
        on_delete=models.CASCADE,
        related_name="disciplines",
    )
    form = models.CharField("hình thức", max_length=10, choices=Form.choices)
    decided_on = models.DateField("ngày quyết định")
    decision = models.CharField("số quyết định", max_length=100, blank=True)
    reason = models.CharField("hành vi vi phạm", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "kỷ luật"
        verbose_name_plural = "kỷ luật"
        ordering = ["-decided_on", "pk"]

    def __str__(self):
        return f"{self.get_form_display()} — {self.person}"

    @property
    def warning_or_above(self) -> bool:
        return self.form != self.Form.REPRIMAND


class Nomination(PersonOrDepartment):
    """A title proposed for a person or a department in a round: the council's ballot and the result."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="nominations")
    title = models.CharField("danh hiệu", max_length=10, choices=Title.choices)
    votes_for = models.PositiveSmallIntegerField("số phiếu đồng ý", null=True, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField("đề nghị lúc", auto_now_add=True)
    awarded = models.BooleanField("được công nhận", default=False)

    class Meta:
        verbose_name = "đề nghị danh hiệu"
        verbose_name_plural = "đề nghị danh hiệu"
        ordering = ["title", "pk"]
        constraints = [
            *PersonOrDepartment.Meta.constraints,
            models.UniqueConstraint(fields=["round", "person", "title"], name="nomination_once_per_person"),
            models.UniqueConstraint(
                fields=["round", "department", "title"], name="nomination_once_per_department"
            ),
        ]


class UnitLevel(models.Model):
    """A department's own level for the year (xếp loại tập thể), as the leader records it: the base of
    the collective titles."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="unit_levels")
    department = models.ForeignKey("accounts.Department", on_delete=models.CASCADE, related_name="+")
    level = models.CharField("mức xếp loại tập thể", max_length=6, choices=Level.choices)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "department"], name="unit_level_once")]

    def __str__(self):
        return f"{self.department} — {self.get_level_display()}"
