"""Periodic reports and their changes are written by reports.services (each change recorded): the admin
lists, searches and opens them, and changes nothing."""

from django.contrib import admin

from cchc.admin import HistoryAdmin, HistoryInline
from reports.models import PeriodicReport, PeriodicReportChange


class PeriodicReportChangeInline(HistoryInline):
    model = PeriodicReportChange
    fields = ["changed_at", "changed_by", "action", "changes"]


@admin.register(PeriodicReport)
class PeriodicReportAdmin(HistoryAdmin):
    list_display = ["__str__", "plan", "agency", "period", "year", "issued_on", "status"]
    list_select_related = ["plan", "agency"]
    list_filter = ["status", "period", "year", "agency"]
    search_fields = ["symbol", "plan__title"]
    inlines = [PeriodicReportChangeInline]


@admin.register(PeriodicReportChange)
class PeriodicReportChangeAdmin(HistoryAdmin):
    list_display = ["report", "action", "changed_by", "changed_at"]
    list_select_related = ["report", "changed_by"]
    search_fields = ["action", "report__symbol", "report__plan__title", "changed_by__full_name"]
    date_hierarchy = "changed_at"
