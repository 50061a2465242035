from django.contrib import admin

from cchc.admin import HistoryAdmin, HistoryInline
from plans import services
from plans.models import LegalDocument, Plan, PlanChange, PlanLegalBasis, ReformArea, ReformAreaSet

# Reference data: the reform areas and the legal documents, edited by the admin. A saved or deleted
# area goes through plans.services, which renews the cached pages of the agencies whose plans name it.


class ReformAreaInline(admin.TabularInline):
    model = ReformArea
    extra = 0


@admin.register(ReformAreaSet)
class ReformAreaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "first_year", "last_year"]
    inlines = [ReformAreaInline]

    def save_formset(self, request, form, formset, change):
        areas = formset.save(commit=False)  # collects the deleted ones without deleting them
        for area in formset.deleted_objects:
            services.reform_area_delete(area=area)
        for area in areas:
            services.reform_area_save(area=area)
        formset.save_m2m()


@admin.register(ReformArea)
class ReformAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "area_set", "position"]
    list_filter = ["area_set"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        services.reform_area_save(area=obj)

    def delete_model(self, request, obj):
        services.reform_area_delete(area=obj)

    def delete_queryset(self, request, queryset):
        for area in queryset:
            services.reform_area_delete(area=area)


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "issued_on", "issuer", "summary", "agency"]
    list_filter = ["agency", "kind"]
    search_fields = ["number", "issuer", "summary"]
    date_hierarchy = "issued_on"


# History: plans, their legal bases and their changes are written by plans.services (each change
# recorded); the admin only reads them.


class PlanLegalBasisInline(HistoryInline):
    model = PlanLegalBasis
    fields = ["position", "document"]


class PlanChangeInline(HistoryInline):
    model = PlanChange
    fields = ["changed_at", "changed_by", "action", "changes"]


@admin.register(Plan)
class PlanAdmin(HistoryAdmin):
    list_display = ["__str__", "title", "agency", "year", "issued_on", "status"]
    list_select_related = ["agency"]
    list_filter = ["status", "year", "agency"]
    search_fields = ["title", "symbol"]
    inlines = [PlanLegalBasisInline, PlanChangeInline]


@admin.register(PlanLegalBasis)
class PlanLegalBasisAdmin(HistoryAdmin):
    list_display = ["plan", "position", "document"]
    list_select_related = ["plan", "document"]
    list_filter = ["plan__year"]
    search_fields = ["plan__title", "plan__symbol", "document__number", "document__summary"]


@admin.register(PlanChange)
class PlanChangeAdmin(HistoryAdmin):
    list_display = ["plan", "action", "changed_by", "changed_at"]
    list_select_related = ["plan", "changed_by"]
    list_filter = ["changed_at"]
    search_fields = ["action", "plan__title", "plan__symbol", "changed_by__full_name"]
    date_hierarchy = "changed_at"
