from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One notice in a person's list (the bell in the top bar counts the unread ones). Written by
    notifications.services only, each exactly once: its `key` names the event and the recipient."""

    class Kind(models.TextChoices):
        REPORT_PENDING = "report_pending", "Báo cáo chờ duyệt"
        REPORT_APPROVED = "report_approved", "Báo cáo được duyệt"
        REPORT_RETURNED = "report_returned", "Báo cáo bị trả lại"
        ASSIGNED = "assigned", "Được giao nhiệm vụ"
        DIRECTION = "direction", "Ý kiến chỉ đạo"
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

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_recipient_read"),
        ]

    def __str__(self):
        return self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
