from django.contrib import admin

from plans.models import LegalDocument, Plan, PlanChange, PlanLegalBasis, ReformArea, ReformAreaSet


class ReformAreaInline(admin.TabularInline):
    model = ReformArea
    extra = 0


@admin.register(ReformAreaSet)
class ReformAreaSetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "first_year", "last_year"]
    inlines = [ReformAreaInline]


@admin.register(ReformArea)
class ReformAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "area_set", "position"]
    list_filter = ["area_set"]


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "issued_on", "issuer", "summary"]
    list_filter = ["kind"]
    search_fields = ["number", "issuer", "summary"]
    date_hierarchy = "issued_on"


class PlanLegalBasisInline(admin.TabularInline):
    model = PlanLegalBasis
    extra = 0
    autocomplete_fields = ["document"]


class PlanChangeInline(admin.TabularInline):
    model = PlanChange
    extra = 0
    can_delete = False
    readonly_fields = ["changed_at", "changed_by", "action", "changes"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "agency", "year", "issued_on", "status"]
    list_select_related = ["agency"]
    list_filter = ["status", "year", "agency"]
    search_fields = ["title", "symbol"]
    autocomplete_fields = ["implements"]
    inlines = [PlanLegalBasisInline, PlanChangeInline]


@admin.register(PlanChange)
class PlanChangeAdmin(admin.ModelAdmin):
    list_display = ["plan", "action", "changed_by", "changed_at"]
    list_select_related = ["plan", "changed_by"]
    readonly_fields = ["plan", "changed_by", "changed_at", "action", "changes"]

    def has_add_permission(self, request):
        return False
