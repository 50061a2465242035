"""Tasks and everything recorded about them are written by tasks.services (each change with its event and
the caches' versions counted): the admin lists, searches and opens them, and changes nothing. The names
remembered from imports (BodyName) are the exception: an admin corrects or forgets them."""

from django.contrib import admin

from cchc.admin import HistoryAdmin, HistoryInline
from cchc.text import name_key
from tasks.models import (
    BodyName,
    Contribution,
    Direction,
    Evidence,
    ImportBatch,
    ProgressUpdate,
    Task,
    TaskDeadline,
    TaskEvent,
)


class TaskDeadlineInline(HistoryInline):
    model = TaskDeadline
    fields = ["deadline_text", "deadline_kind", "due_date", "valid_from"]


class TaskEventInline(HistoryInline):
    model = TaskEvent
    fields = ["kind", "actor", "created_at", "reason", "changes"]


@admin.register(Task)
class TaskAdmin(HistoryAdmin):
    list_display = [
        "number",
        "content",
        "plan",
        "lead_department",
        "deadline_text",
        "due_date",
        "state",
        "percent",
    ]
    list_select_related = ["plan", "lead_department"]
    list_filter = ["state", "plan__year", "plan__agency"]
    search_fields = ["number", "content", "search_text"]
    exclude = ["search_text"]
    labels = {"sort_key": "khóa sắp xếp"}
    inlines = [TaskDeadlineInline, TaskEventInline]


@admin.register(TaskDeadline)
class TaskDeadlineAdmin(HistoryAdmin):
    list_display = ["task", "deadline_text", "due_date", "valid_from"]
    labels = {"task": "nhiệm vụ"}
    list_select_related = ["task"]
    list_filter = ["deadline_kind"]
    search_fields = ["task__number", "task__content", "deadline_text"]


class EvidenceInline(HistoryInline):
    model = Evidence
    fk_name = "report"
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(HistoryAdmin):
    list_display = ["task", "percent", "reported_by", "reported_at", "review"]
    list_select_related = ["task", "reported_by"]
    list_filter = ["review"]
    search_fields = ["task__number", "task__content", "narrative", "result", "reported_by__full_name"]
    date_hierarchy = "reported_at"
    inlines = [EvidenceInline]


@admin.register(Contribution)
class ContributionAdmin(HistoryAdmin):
    list_display = ["task", "department", "author", "created_at"]
    list_select_related = ["task", "department", "author"]
    search_fields = ["task__number", "task__content", "note", "author__full_name"]
    date_hierarchy = "created_at"


@admin.register(Direction)
class DirectionAdmin(HistoryAdmin):
    list_display = ["task", "author", "created_at"]
    list_select_related = ["task", "author"]
    search_fields = ["task__number", "task__content", "text", "author__full_name"]
    date_hierarchy = "created_at"


@admin.register(Evidence)
class EvidenceAdmin(HistoryAdmin):
    list_display = ["original_name", "task", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["task", "uploaded_by"]
    search_fields = ["original_name", "task__number", "task__content"]
    exclude = ["stored_name"]
    labels = {"report": "báo cáo tiến độ", "contribution": "ý kiến phối hợp"}
    date_hierarchy = "uploaded_at"


@admin.register(TaskEvent)
class TaskEventAdmin(HistoryAdmin):
    list_display = ["task", "kind", "actor", "created_at"]
    list_select_related = ["task", "actor"]
    list_filter = ["kind"]
    search_fields = ["task__number", "task__content", "reason", "actor__full_name"]
    date_hierarchy = "created_at"


@admin.register(ImportBatch)
class ImportBatchAdmin(HistoryAdmin):
    list_display = ["original_name", "plan", "uploaded_by", "uploaded_at", "status"]
    list_select_related = ["plan", "uploaded_by"]
    list_filter = ["status"]
    search_fields = ["original_name", "plan__title", "plan__symbol"]
    date_hierarchy = "uploaded_at"


@admin.register(BodyName)
class BodyNameAdmin(admin.ModelAdmin):
    """What the clerks chose a name in an annex means; offered at the agency's next import."""

    list_display = ["name", "meaning", "department", "agency", "updated_at"]
    list_select_related = ["department", "agency"]
    list_filter = ["meaning", "agency"]
    search_fields = ["name", "department__name"]

    def save_model(self, request, obj, form, change):
        obj.key = name_key(obj.name)
        super().save_model(request, obj, form, change)
