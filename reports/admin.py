from django.contrib import admin

from reports.models import PeriodicReport


@admin.register(PeriodicReport)
class PeriodicReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "agency", "period", "year", "issued_on", "status"]
    list_select_related = ["plan", "agency"]
    list_filter = ["status", "period", "year", "agency"]
    search_fields = ["symbol", "plan__title"]
    readonly_fields = ["snapshot", "snapshot_at", "created_by", "created_at", "updated_at"]
    raw_id_fields = ["plan"]
