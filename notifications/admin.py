"""Notices are written by notifications.services (each once, with the unread counts kept): the admin
lists, searches and opens them, and changes nothing."""

from django.contrib import admin

from cchc.admin import HistoryAdmin
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(HistoryAdmin):
    list_display = ["created_at", "recipient", "kind", "text", "task", "read_at"]
    list_select_related = ["recipient", "task"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "recipient__full_name", "task__number", "task__content", "text"]
    date_hierarchy = "created_at"
