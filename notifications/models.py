import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

DEFAULT_DIGEST_TIME = datetime.time(7, 30)


class Notification(models.Model):
    """One notice in a person's list (the bell in the top bar counts the unread ones). Written by
    notifications.services only, each exactly once: its `key` names the event and the recipient."""

    class Kind(models.TextChoices):
        REPORT_PENDING = "report_pending", "Báo cáo chờ duyệt"
        REPORT_APPROVED = "report_approved", "Báo cáo được duyệt"
        REPORT_RETURNED = "report_returned", "Báo cáo bị trả lại"
        ASSIGNED = "assigned", "Được giao nhiệm vụ"
        DIRECTION = "direction", "Ý kiến chỉ đạo"
        DIRECTION_REPLIED = "direction_replied", "Báo cáo thực hiện ý kiến chỉ đạo"
        DEADLINE_CHANGED = "deadline_changed", "Đổi thời hạn"
        LEAD_CHANGED = "lead_changed", "Đổi đơn vị chủ trì"
        CONTRIBUTION_ASKED = "contribution_asked", "Đề nghị phối hợp"
        UPCOMING = "upcoming", "Sắp đến hạn"
        DUE_TODAY = "due_today", "Đến hạn hôm nay"
        OVERDUE = "overdue", "Quá hạn"
        ESCALATION = "escalation", "Quá hạn lâu"
        UPDATE_DUE = "update_due", "Sắp đến kỳ báo cáo"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhận",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    task = models.ForeignKey(
        "tasks.Task",
        verbose_name="nhiệm vụ",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    text = models.TextField("nội dung")
    info = models.BooleanField(
        "để biết", default=False, help_text="Gửi đơn vị phối hợp để biết, không phải người phải làm."
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    key = models.CharField(
        "khóa một lần",
        max_length=200,
        unique=True,
        help_text="Tên của sự kiện và người nhận: cùng một sự kiện không báo hai lần cho một người.",
    )
    mail = models.ForeignKey(
        "Mail",
        verbose_name="thư đã mang",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        help_text="Thư đã nhận thông báo này để gửi (trống: chưa đến lượt gửi thư).",
    )
    in_mail = models.BooleanField(
        "có trong thư",
        null=True,
        blank=True,
        help_text="Có: thư đã gửi có dòng này. Không: thư bỏ qua (đã đọc, chỉ xem trong ứng dụng, không còn "
        "cần báo). Trống: chưa gửi.",
    )

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_recipient_read"),
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(mail__isnull=True),
                name="notification_not_mailed",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


def _offsets(text: str) -> tuple[int, ...]:
    """'7, 3, 1' as (7, 3, 1): whole numbers of working days, each once, largest first."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise ValidationError("Ghi các số ngày làm việc, cách nhau bởi dấu phẩy, ví dụ 7, 3, 1.")
    numbers = sorted({int(part) for part in parts}, reverse=True)
    if numbers[-1] < 1 or numbers[0] > MAX_WORKING_DAYS:
        raise ValidationError(f"Mỗi số ngày làm việc phải từ 1 đến {MAX_WORKING_DAYS}.")
    return tuple(numbers)


MAX_WORKING_DAYS = 60  # about three months of working days: the furthest any reminder looks


class AgencySettings(models.Model):
    """An agency's reminder rules and default mail hour, set by its administrator; an agency without a
    row uses the defaults of tasks.reminders.ReminderRules and DEFAULT_DIGEST_TIME."""

    agency = models.OneToOneField(
        "accounts.Agency",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    upcoming = models.CharField(
        "nhắc trước hạn (ngày làm việc)",
        max_length=60,
        default="7, 3, 1",
        help_text="Số ngày làm việc trước hạn thì nhắc, cách nhau bởi dấu phẩy, ví dụ 7, 3, 1.",
    )
    repeat_every = models.PositiveSmallIntegerField(
        "nhắc lại khi quá hạn, sau mỗi (ngày làm việc)",
        default=3,
        help_text="Quá hạn: nhắc ngày làm việc đầu tiên sau hạn, rồi sau mỗi chừng này ngày làm việc.",
    )
    escalate_head = models.PositiveSmallIntegerField(
        "báo trưởng phòng khi quá hạn từ (ngày làm việc)", default=5
    )
    escalate_leaders = models.PositiveSmallIntegerField(
        "báo lãnh đạo cơ quan khi quá hạn từ (ngày làm việc)", default=10
    )
    update_due = models.PositiveSmallIntegerField(
        "nhắc báo cáo tiến độ trước kỳ báo cáo (ngày làm việc)",
        default=5,
        help_text="Trước mỗi ngày chốt số liệu 14/3, 14/6, 14/9, 14/12.",
    )
    digest_time = models.TimeField(
        "giờ gửi thư tổng hợp mặc định",
        default=DEFAULT_DIGEST_TIME,
        help_text="Giờ Việt Nam; mỗi người có thể chọn giờ khác.",
    )

    class Meta:
        verbose_name = "cài đặt nhắc việc của cơ quan"
        verbose_name_plural = "cài đặt nhắc việc của cơ quan"

    def __str__(self):
        return f"Cài đặt nhắc việc – {self.agency}"

    def clean(self):
        errors = {}
        try:
            self.upcoming = ", ".join(str(number) for number in _offsets(self.upcoming))
        except ValidationError as error:
            errors["upcoming"] = error.messages
        for name in ("repeat_every", "escalate_head", "escalate_leaders", "update_due"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= MAX_WORKING_DAYS:
                errors[name] = f"Phải từ 1 đến {MAX_WORKING_DAYS} ngày làm việc."
        if not errors and self.escalate_leaders < self.escalate_head:
            errors["escalate_leaders"] = "Báo lãnh đạo không thể sớm hơn báo trưởng phòng."
        if errors:
            raise ValidationError(errors)

    @property
    def upcoming_offsets(self) -> tuple[int, ...]:
        return _offsets(self.upcoming)

    def rules(self):
        """These settings as the reminder scan reads them."""
        from tasks.reminders import ReminderRules

        return ReminderRules(
            upcoming=self.upcoming_offsets,
            repeat_every=self.repeat_every,
            escalate_head=self.escalate_head,
            escalate_leaders=self.escalate_leaders,
            update_due=self.update_due,
        )


def address_failing(problem: str, problem_address: str, address: str) -> bool:
    """A problem recorded for `problem_address` still holds for `address` (the same, whatever its case)."""
    return bool(problem) and problem_address.casefold() == address.casefold()


class Preference(models.Model):
    """What one person wants to be told and how: a user without a row gets everything, in the app and
    by mail, at the agency's hour. It also records a problem with the person's address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="người dùng",
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    muted = models.JSONField("loại không nhận", default=list, blank=True)
    not_mailed = models.JSONField("loại chỉ xem trong ứng dụng", default=list, blank=True)
    mail_enabled = models.BooleanField("nhận thư điện tử", default=True)
    digest_time = models.TimeField(
        "giờ nhận thư tổng hợp", null=True, blank=True, help_text="Trống: theo giờ mặc định của cơ quan."
    )
    address_problem = models.CharField("lỗi địa chỉ thư", max_length=300, blank=True)
    address_problem_at = models.DateTimeField("ghi nhận lỗi lúc", null=True, blank=True)
    problem_address = models.CharField(
        "địa chỉ bị lỗi",
        max_length=254,
        blank=True,
        help_text="Lỗi chỉ còn giá trị khi người dùng vẫn dùng địa chỉ này.",
    )

    class Meta:
        verbose_name = "tùy chọn thông báo"
        verbose_name_plural = "tùy chọn thông báo"

    def __str__(self):
        return f"Tùy chọn thông báo – {self.user}"

    def address_failing(self, address: str) -> bool:
        """A problem was recorded for this very address (a new address is tried again)."""
        return address_failing(self.address_problem, self.problem_address, address)


class Mail(models.Model):
    """The sent log of e-mail: one row per mail, claimed (written, with the notices it carries) before
    it is sent, so that no run, retry or second worker sends it twice."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Thư tổng hợp hằng ngày"
        URGENT = "urgent", "Thư báo ngay"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENDING = "sending", "Đang gửi"
        RETRY = "retry", "Gửi lỗi, sẽ gửi lại"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Không gửi được"
        EMPTY = "empty", "Không có gì để gửi"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người nhận", on_delete=models.CASCADE, related_name="mails"
    )
    kind = models.CharField("loại thư", max_length=10, choices=Kind.choices)
    day = models.DateField("ngày (giờ Việt Nam)")
    key = models.CharField("khóa một lần", max_length=100, unique=True)
    weekly = models.BooleanField("kèm tổng hợp tuần", default=False)
    address = models.CharField("địa chỉ", max_length=254, blank=True)
    subject = models.CharField("tiêu đề", max_length=300, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    next_attempt_at = models.DateTimeField("gửi lại lúc", null=True, blank=True)
    lease_until = models.DateTimeField("đang gửi đến", null=True, blank=True, editable=False)
    error = models.TextField("lỗi lần gửi cuối", blank=True)
    created_at = models.DateTimeField("lập lúc", auto_now_add=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thư đã gửi"
        verbose_name_plural = "nhật ký thư"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="mail_to_deliver"),
            models.Index(fields=["recipient", "kind", "-created_at"], name="mail_recipient_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.day:%d/%m/%Y} – {self.recipient}"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt: a mail resent after a lost answer is one mail."""
        return f"<cchc-mail-{self.pk}@{settings.MAIL_MESSAGE_ID_DOMAIN}>"
