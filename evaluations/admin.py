"""Rubrics are data an admin may rename and annotate; their criteria, and everything of a round (its
units, scores, evidence and history), are written by evaluations.services with their record: the admin
lists, searches and opens them, and changes nothing."""

from django.contrib import admin

from cchc.admin import HistoryAdmin, HistoryInline
from evaluations.models import Round, RoundEvent, Rubric, RubricCriterion, Score, Unit


class RubricCriterionInline(HistoryInline):
    model = RubricCriterion
    fk_name = "rubric"
    fields = ["label", "title", "max_points", "method", "rule", "thresholds", "measure", "evidence_required"]
    ordering = ["pk"]  # written parents first, in the tree's order (services.store_tree)


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    """A rubric is made from a checked tree (services.rubric_create, the default rubrics, a spreadsheet):
    here only its name, note and default flag change; its criteria and points stay as checked."""

    list_display = ["name", "scope", "agency", "total_points", "is_default", "created_at"]
    list_select_related = ["agency"]
    list_filter = ["scope", "is_default", "agency"]
    search_fields = ["name", "note"]
    fields = ["name", "scope", "agency", "total_points", "is_default", "note", "created_at"]
    readonly_fields = ["scope", "agency", "total_points", "created_at"]
    inlines = [RubricCriterionInline]

    def has_add_permission(self, request):
        return False


class UnitInline(HistoryInline):
    model = Unit
    fields = ["department", "agency", "status", "submitted_at", "submitted_by"]


class RoundEventInline(HistoryInline):
    model = RoundEvent
    fields = ["created_at", "kind", "unit", "actor", "reason"]


@admin.register(Round)
class RoundAdmin(HistoryAdmin):
    list_display = ["title", "agency", "year", "scope", "status", "self_to", "appraisal_to"]
    list_select_related = ["agency"]
    list_filter = ["status", "scope", "year", "agency"]
    search_fields = ["title", "rubric_name", "agency__name"]
    inlines = [UnitInline, RoundEventInline]


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = ["__str__", "round", "status", "submitted_at", "illustrative"]
    list_select_related = ["round", "department", "agency"]
    list_filter = ["status", "round__year"]
    search_fields = ["department__name", "agency__name", "round__title"]


@admin.register(Score)
class ScoreAdmin(HistoryAdmin):
    list_display = ["unit", "criterion", "self_points", "appraised_points", "updated_at"]
    list_select_related = ["unit__round", "unit__department", "unit__agency", "criterion"]
    list_filter = ["unit__round__year"]
    search_fields = ["criterion__title", "unit__department__name", "unit__agency__name"]


@admin.register(RoundEvent)
class RoundEventAdmin(HistoryAdmin):
    list_display = ["round", "kind", "unit", "actor", "created_at"]
    list_select_related = ["round", "unit__department", "unit__agency", "actor"]
    list_filter = ["kind"]
    search_fields = ["round__title", "reason", "actor__full_name"]
    date_hierarchy = "created_at"
