"""Notices and mails are written by notifications.services and notifications.mailing (each once, with
the unread counts kept): the admin lists, searches and opens them, and changes nothing. An agency's
settings and a person's preference are plain choices: the admin edits them."""

from django.contrib import admin

from cchc.admin import HistoryAdmin
from notifications.models import AgencySettings, Mail, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(HistoryAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "task", "read_at", "mail_status"]
    list_select_related = ["recipient", "task", "mail"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "recipient__full_name", "task__number", "task__content", "text"]
    date_hierarchy = "created_at"

    @admin.display(description="thư", ordering="mail__status")
    def mail_status(self, notice: Notification) -> str:
        return notice.mail.get_status_display() if notice.mail else "Chưa gửi thư"


@admin.register(Mail)
class MailAdmin(HistoryAdmin):
    list_display = ["created_at", "recipient", "kind", "day", "address", "status", "attempts", "sent_at"]
    list_select_related = ["recipient"]
    list_filter = ["status", "kind", "day"]
    search_fields = ["recipient__username", "recipient__full_name", "recipient__email", "address", "subject"]
    date_hierarchy = "created_at"


@admin.register(AgencySettings)
class AgencySettingsAdmin(admin.ModelAdmin):
    list_display = [
        "agency",
        "upcoming",
        "repeat_every",
        "escalate_head",
        "escalate_leaders",
        "update_due",
        "digest_time",
    ]
    list_select_related = ["agency"]
    search_fields = ["agency__name", "agency__code"]
    autocomplete_fields = ["agency"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "mail_enabled", "digest_time", "address_problem", "address_problem_at"]
    list_select_related = ["user"]
    list_filter = ["mail_enabled"]
    search_fields = ["user__username", "user__full_name", "user__email", "problem_address"]
    autocomplete_fields = ["user"]
