from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property

from tasks.deadlines import Deadline


class Task(models.Model):
    """One task of a plan (nhiệm vụ), as numbered in the plan's annex."""

    class Kind(models.TextChoices):
        ONCE = Deadline.ONCE, "Có hạn cụ thể"
        ONGOING = Deadline.ONGOING, "Thường xuyên"
        YEARLY = Deadline.YEARLY, "Hằng năm"
        QUARTERLY = Deadline.QUARTERLY, "Hằng quý"
        MONTHLY = Deadline.MONTHLY, "Hằng tháng"
        UNSET = Deadline.UNSET, "Chưa xác định thời hạn"

    class State(models.TextChoices):
        """Where the work stands now (the taxonomy of a date is computed in tasks.status)."""

        NOT_STARTED = "not_started", "Chưa triển khai"
        IN_PROGRESS = "in_progress", "Đang thực hiện"
        PENDING = "pending", "Chờ duyệt hoàn thành"
        COMPLETED = "completed", "Đã hoàn thành"
        CANCELLED = "cancelled", "Đã hủy"

    plan = models.ForeignKey(
        "plans.Plan", verbose_name="kế hoạch", on_delete=models.PROTECT, related_name="tasks"
    )
    section = models.ForeignKey(
        "plans.PlanSection",
        verbose_name="mục",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    area = models.ForeignKey(
        "plans.ReformArea",
        verbose_name="lĩnh vực",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        help_text="Của mục chứa nhiệm vụ; trống khi mục không thuộc lĩnh vực CCHC nào.",
    )
    number = models.CharField(
        "số thứ tự",
        max_length=20,
        help_text="Như trong phụ lục, ví dụ 1 hoặc 2.3; không trùng trong cùng mục.",
    )
    # The section's sort key, "0", the number's ("1000310001" "0" "00002.00010"): one column orders a
    # plan, a section's own tasks before its sub-sections (plans.services.section_sort_key).
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)
    content = models.TextField("nội dung nhiệm vụ")
    details = models.TextField("nội dung chi tiết", blank=True)
    lead_department = models.ForeignKey(
        "accounts.Department",
        verbose_name="đơn vị chủ trì",
        on_delete=models.PROTECT,
        related_name="led_tasks",
        help_text="Khi cơ quan chủ trì ở ngoài cơ quan: đơn vị theo dõi, đôn đốc và báo cáo nhiệm vụ.",
    )
    lead_name = models.CharField(
        "cơ quan chủ trì (ngoài cơ quan)",
        max_length=255,
        blank=True,
        help_text="Như trong kế hoạch, ví dụ Bộ Nội vụ, Các địa phương. Trống: đơn vị chủ trì là đơn vị trên.",
    )
    coordinating_departments = models.ManyToManyField(
        "accounts.Department", verbose_name="đơn vị phối hợp", related_name="coordinated_tasks", blank=True
    )
    outside_coordinators = models.CharField(
        "cơ quan phối hợp khác",
        max_length=1000,
        blank=True,
        help_text="Cơ quan ngoài cơ quan như trong kế hoạch, cách nhau bằng dấu chấm phẩy.",
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", related_name="assigned_tasks", blank=True
    )
    start_date = models.DateField("ngày bắt đầu", null=True, blank=True)
    deadline_text = models.CharField(
        "thời hạn",
        max_length=100,
        blank=True,
        help_text="Như trong kế hoạch: Quý II/2019, Thường xuyên…; trống khi kế hoạch không ghi.",
    )
    deadline_kind = models.CharField("loại thời hạn", max_length=10, choices=Kind.choices, default=Kind.ONCE)
    due_date = models.DateField(
        "hạn hoàn thành", null=True, blank=True, help_text="Trống: chưa xác định thời hạn."
    )
    expected_output = models.TextField("sản phẩm dự kiến", blank=True)
    notes = models.TextField("ghi chú", blank=True)
    search_text = models.TextField(editable=False, blank=True)
    state = models.CharField("tình trạng", max_length=12, choices=State.choices, default=State.NOT_STARTED)
    percent = models.PositiveSmallIntegerField("tiến độ (%)", default=0, validators=[MaxValueValidator(100)])
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    last_report_at = models.DateTimeField("báo cáo gần nhất", null=True, blank=True)
    returned_reason = models.TextField(
        "lý do trả lại gần nhất", blank=True, help_text="Trống khi báo cáo gần nhất không bị trả lại."
    )
    cancelled_at = models.DateTimeField("hủy lúc", null=True, blank=True)
    created_at = models.DateTimeField("ngày tạo", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    # One more with every recorded change (an event, a report, a contribution, a direction), counted by
    # the database: the caches of the task page's timeline and of the plan's task table key on it.
    revision = models.PositiveIntegerField("lần thay đổi", default=0, editable=False)

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["plan_id", "sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "section", "number"],
                condition=models.Q(section__isnull=False),
                name="task_number_unique_in_section",
                violation_error_message="Mục này đã có nhiệm vụ mang số thứ tự này.",
            ),
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=models.Q(section__isnull=True),
                name="task_number_unique_in_plan",
                violation_error_message="Kế hoạch đã có nhiệm vụ mang số thứ tự này.",
            ),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="task_percent_at_most_100"),
        ]
        indexes = [
            models.Index(fields=["lead_department", "state"], name="task_lead_state"),
            models.Index(fields=["plan", "due_date"], name="task_plan_due"),
            models.Index(fields=["plan", "area"], name="task_plan_area"),
            # The task table counts a plan's tasks by group (section, or area outside every section).
            models.Index(fields=["plan", "section", "area"], name="task_plan_section_area"),
        ]

    def __str__(self):
        return f"{self.number}. {self.content[:80]}"

    @property
    def deadline(self) -> Deadline:
        return Deadline(self.deadline_text, self.due_date, self.deadline_kind)

    @property
    def lead_display(self) -> str:
        """The lead body as the plan names it: an outside body by its name, else the department."""
        return self.lead_name or self.lead_department.name

    @property
    def outside_coordinator_names(self) -> list[str]:
        return [name.strip() for name in self.outside_coordinators.split(";") if name.strip()]

    @cached_property
    def _linked(self) -> dict[str, list[tuple[int, str]]]:
        """The coordinating departments and the people assigned, read together in one query."""
        departments = (
            Task.coordinating_departments.through.objects.filter(task_id=self.pk)
            .annotate(kind=models.Value("department"), sort=models.F("department__position"))
            .values_list("kind", "department_id", "department__name", "sort")
        )
        people = (
            Task.assignees.through.objects.filter(task_id=self.pk)
            .annotate(kind=models.Value("person"), sort=models.Value(0))
            .values_list("kind", "user_id", "user__full_name", "sort")
        )
        rows = sorted(departments.union(people, all=True), key=lambda row: (row[0], row[3], row[2]))
        linked = {"department": [], "person": []}
        for kind, pk, name, _sort in rows:
            linked[kind].append((pk, name))
        return linked

    @property
    def coordinating_pairs(self) -> list[tuple[int, str]]:
        """(id, name) of the coordinating departments in their order, read once per instance."""
        return self._linked["department"]

    @property
    def assignee_pairs(self) -> list[tuple[int, str]]:
        """(id, full name) of the people assigned, by name, read once per instance."""
        return self._linked["person"]

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.COMPLETED, self.State.CANCELLED)


class TaskDeadline(models.Model):
    """Every deadline a task has had; the one in force on a date is the latest set by then."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="deadlines")
    deadline_text = models.CharField("thời hạn", max_length=100, blank=True)
    deadline_kind = models.CharField("loại thời hạn", max_length=10, choices=Task.Kind.choices)
    due_date = models.DateField("hạn hoàn thành", null=True, blank=True)
    valid_from = models.DateTimeField(
        "hiệu lực từ", null=True, blank=True, help_text="Trống: từ khi giao nhiệm vụ."
    )

    class Meta:
        verbose_name = "thời hạn của nhiệm vụ"
        verbose_name_plural = "thời hạn của nhiệm vụ"
        ordering = ["task_id", models.F("valid_from").asc(nulls_first=True)]
        indexes = [models.Index(fields=["task", "valid_from"], name="deadline_task_from")]

    def __str__(self):
        if self.due_date is None:
            return f"{self.deadline_text or 'Chưa xác định thời hạn'}"
        return f"{self.deadline_text} ({self.due_date:%d/%m/%Y})"


class ProgressUpdate(models.Model):
    """A progress report (báo cáo tiến độ); append-only, only its review is filled in later."""

    class Review(models.TextChoices):
        NONE = "", "Không cần duyệt"
        PENDING = "pending", "Chờ duyệt"
        APPROVED = "approved", "Đã duyệt"
        RETURNED = "returned", "Trả lại"

    task = models.ForeignKey(
        Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="progress_updates"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người báo cáo",
        on_delete=models.PROTECT,
        related_name="progress_updates",
    )
    reported_at = models.DateTimeField("thời điểm báo cáo")
    reported_on = models.DateField("ngày báo cáo")
    percent = models.PositiveSmallIntegerField(
        "tiến độ (%)", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField("nội dung báo cáo")
    result = models.TextField("kết quả, sản phẩm", blank=True)
    review = models.CharField("duyệt", max_length=10, choices=Review.choices, blank=True, default=Review.NONE)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người duyệt",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("duyệt lúc", null=True, blank=True)
    return_reason = models.TextField("lý do trả lại", blank=True)
    previous_percent = models.PositiveSmallIntegerField(
        "tiến độ trước báo cáo",
        null=True,
        blank=True,
        help_text="Tiến độ đã ghi nhận của nhiệm vụ khi báo cáo được gửi; trống ở các báo cáo cũ.",
    )
    decrease_reason = models.TextField(
        "lý do giảm tiến độ", blank=True, help_text="Bắt buộc khi tiến độ thấp hơn tiến độ đã ghi nhận."
    )
    delay_cause = models.TextField(
        "nguyên nhân chậm", blank=True, help_text="Bắt buộc khi nhiệm vụ đã quá hạn vào ngày báo cáo."
    )

    class Meta:
        verbose_name = "báo cáo tiến độ"
        verbose_name_plural = "báo cáo tiến độ"
        ordering = ["task_id", "reported_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="progress_percent_at_most_100")
        ]
        indexes = [
            models.Index(fields=["task", "reported_at"], name="progress_task_at"),
            models.Index(fields=["task", "review", "reviewed_at"], name="progress_task_review"),
        ]

    def __str__(self):
        return f"{self.percent}% – {self.task.number}"

    @property
    def is_completion(self) -> bool:
        return self.percent == 100

    @property
    def is_decrease(self) -> bool:
        return self.previous_percent is not None and self.percent < self.previous_percent


class Contribution(models.Model):
    """What a coordinating department adds to a task: notes and evidence, no change of status."""

    task = models.ForeignKey(
        Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="contributions"
    )
    department = models.ForeignKey(
        "accounts.Department", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người gửi", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)
    note = models.TextField("nội dung phối hợp")

    class Meta:
        verbose_name = "ý kiến phối hợp"
        verbose_name_plural = "ý kiến phối hợp"
        ordering = ["task_id", "created_at"]

    def __str__(self):
        return f"{self.department} – {self.task.number}"


class Direction(models.Model):
    """A leader's direction on a task (ý kiến chỉ đạo)."""

    task = models.ForeignKey(
        Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="directions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="lãnh đạo", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)
    text = models.TextField("ý kiến chỉ đạo")

    class Meta:
        verbose_name = "ý kiến chỉ đạo"
        verbose_name_plural = "ý kiến chỉ đạo"
        ordering = ["task_id", "created_at"]

    def __str__(self):
        return f"Chỉ đạo – {self.task.number}"


class DirectionReply(models.Model):
    """The report on carrying out a direction (báo cáo thực hiện ý kiến chỉ đạo), by the task's lead
    department, its head or the people assigned; a direction with one is answered."""

    direction = models.ForeignKey(
        Direction, verbose_name="ý kiến chỉ đạo", on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người báo cáo", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)
    text = models.TextField("kết quả thực hiện ý kiến chỉ đạo")

    class Meta:
        verbose_name = "báo cáo thực hiện ý kiến chỉ đạo"
        verbose_name_plural = "báo cáo thực hiện ý kiến chỉ đạo"
        ordering = ["direction_id", "created_at", "pk"]
        indexes = [models.Index(fields=["direction", "created_at"], name="reply_direction_at")]

    def __str__(self):
        return f"Trả lời chỉ đạo – {self.direction.task.number}"


class Evidence(models.Model):
    """A file that proves a result (tài liệu kiểm chứng), stored outside every public root."""

    report = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    task = models.ForeignKey(Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="evidence")
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField("loại tệp", max_length=100)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tải lên", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(report__isnull=False) | models.Q(contribution__isnull=False),
                name="evidence_has_an_owner",
            )
        ]

    def __str__(self):
        return self.original_name


class TaskEvent(models.Model):
    """The record of every change to a task: who, when, what, the old and new values and why."""

    class Kind(models.TextChoices):
        CREATED = "created", "Giao nhiệm vụ"
        IMPORTED = "imported", "Nhập từ phụ lục"
        UPDATED = "updated", "Sửa nội dung"
        DEADLINE = "deadline", "Đổi thời hạn"
        LEAD = "lead", "Đổi đơn vị chủ trì"
        ASSIGNED = "assigned", "Phân công người thực hiện"
        APPROVED = "approved", "Duyệt hoàn thành"
        RETURNED = "returned", "Trả lại báo cáo"
        CANCELLED = "cancelled", "Hủy nhiệm vụ"

    task = models.ForeignKey(Task, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("thời điểm")
    reason = models.TextField("lý do", blank=True)
    changes = models.JSONField("thay đổi", default=list, blank=True)

    class Meta:
        verbose_name = "lịch sử nhiệm vụ"
        verbose_name_plural = "lịch sử nhiệm vụ"
        ordering = ["task_id", "created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.task.number}"


class ImportBatch(models.Model):
    """An uploaded annex waiting for the clerk's confirmation; nothing is written to tasks before it."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Chờ xác nhận"
        RUNNING = "running", "Đang nhập"
        DONE = "done", "Đã nhập"
        DISCARDED = "discarded", "Đã hủy"

    plan = models.ForeignKey(
        "plans.Plan", verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tải lên", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    original_name = models.CharField("tên tệp", max_length=255)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows = models.JSONField("các dòng đã đọc", default=list)
    department_names = models.JSONField("tên đơn vị trong tệp", default=list)
    result = models.JSONField("kết quả", default=dict, blank=True)

    class Meta:
        verbose_name = "lần nhập phụ lục"
        verbose_name_plural = "lần nhập phụ lục"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.original_name} – {self.plan}"


class BodyName(models.Model):
    """What a body named in an annex is for the agency, as the clerk chose at an import and offered at
    the next one: one of its departments under another name, or an outside body (a ministry, "Các địa
    phương") followed up by a department, or — for coordination — every department. Names are matched
    by cchc.text.name_key (case, spacing, punctuation and Unicode form ignored)."""

    class Meaning(models.TextChoices):
        DEPARTMENT = "department", "Là đơn vị của cơ quan"
        OUTSIDE = "outside", "Cơ quan ngoài cơ quan"
        ALL = "all", "Tất cả phòng, đơn vị"

    agency = models.ForeignKey(
        "accounts.Agency", verbose_name="cơ quan", on_delete=models.CASCADE, related_name="body_names"
    )
    key = models.CharField(max_length=255, editable=False)
    name = models.CharField("tên trong phụ lục", max_length=255)
    meaning = models.CharField("là", max_length=10, choices=Meaning.choices)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name="đơn vị",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Đơn vị mà tên này chỉ, hoặc đơn vị theo dõi cơ quan ngoài khi cơ quan ấy chủ trì.",
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "tên cơ quan trong phụ lục"
        verbose_name_plural = "tên cơ quan trong phụ lục"
        ordering = ["agency_id", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "key"], name="body_name_unique_per_agency")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.department_id and self.agency_id and self.department.agency_id != self.agency_id:
            raise ValidationError({"department": "Đơn vị phải thuộc cơ quan của tên này."})
        if self.meaning == self.Meaning.DEPARTMENT and not self.department_id:
            raise ValidationError({"department": "Chọn đơn vị mà tên này chỉ."})
