from django.contrib import admin

from tasks.models import (
    Contribution,
    Direction,
    Evidence,
    ImportBatch,
    ProgressUpdate,
    Task,
    TaskDeadline,
    TaskEvent,
)


class TaskDeadlineInline(admin.TabularInline):
    model = TaskDeadline
    extra = 0
    readonly_fields = ["deadline_text", "deadline_kind", "due_date", "valid_from"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    extra = 0
    readonly_fields = ["kind", "actor", "created_at", "reason", "changes"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
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
    filter_horizontal = ["coordinating_departments", "assignees"]
    readonly_fields = [
        "state",
        "percent",
        "completed_on",
        "last_report_at",
        "cancelled_at",
        "due_date",
        "deadline_kind",
    ]
    inlines = [TaskDeadlineInline, TaskEventInline]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fk_name = "report"
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    exclude = ["stored_name", "contribution", "task"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["task", "percent", "reported_by", "reported_at", "review"]
    list_select_related = ["task", "reported_by"]
    list_filter = ["review"]
    readonly_fields = ["task", "reported_by", "reported_at", "reported_on", "percent", "narrative", "result"]
    inlines = [EvidenceInline]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["task", "department", "author", "created_at"]
    list_select_related = ["task", "department", "author"]


@admin.register(Direction)
class DirectionAdmin(admin.ModelAdmin):
    list_display = ["task", "author", "created_at"]
    list_select_related = ["task", "author"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "task", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["task", "uploaded_by"]
    exclude = ["stored_name"]
    readonly_fields = [
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "task",
        "report",
        "contribution",
    ]


@admin.register(TaskEvent)
class TaskEventAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "actor", "created_at"]
    list_select_related = ["task", "actor"]
    list_filter = ["kind"]
    readonly_fields = ["task", "kind", "actor", "created_at", "reason", "changes"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["original_name", "plan", "uploaded_by", "uploaded_at", "status"]
    list_select_related = ["plan", "uploaded_by"]
    readonly_fields = ["rows", "department_names", "result"]
