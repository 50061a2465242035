from django.contrib import admin

from cchc.models import CalendarDay
from cchc.periods import WEEKDAY_NAMES


class HistoryAdmin(admin.ModelAdmin):
    """The admin of a model the services write with its history (who, when, what and why): it lists,
    searches and opens the rows, and never adds, changes or deletes one, since that would bypass the
    history and the caches' versions. People change them through the application's pages."""

    # Vietnamese labels of the fields whose model names none (internal ones, shown read-only here):
    # they are shown under these labels, in the list and on the row's page, as `<field>_shown`.
    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():

            def value(obj, name=name):
                return getattr(obj, name)

            value.short_description = label
            setattr(self, f"{name}_shown", value)

    def _labelled(self, name: str) -> str:
        return f"{name}_shown" if name in self.labels else name

    def get_exclude(self, request, obj=None):
        return [*(self.exclude or ()), *self.labels]

    def get_list_display(self, request):
        return [
            self._labelled(name) if isinstance(name, str) else name
            for name in super().get_list_display(request)
        ]

    def get_readonly_fields(self, request, obj=None):
        """Every field, shown as it stands, those the database fills in (times, counters) too."""
        hidden = set(self.exclude or ())
        fields = [*self.model._meta.fields, *self.model._meta.many_to_many]
        return [
            self._labelled(field.name)
            for field in fields
            if not field.auto_created and field.name not in hidden
        ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryInline(admin.TabularInline):
    """The rows of a history model shown, read-only, on the page of the row they belong to; `fields`
    names the columns."""

    extra = 0

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Reference data: an admin edits it freely.
@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "agency", "note"]
    list_select_related = ["agency"]
    list_filter = ["kind", "agency"]
    date_hierarchy = "date"
    search_fields = ["note"]
    autocomplete_fields = ["agency"]
    # a day with no agency applies to all of them: the list and the agency filter say so
    empty_value_display = "Mọi cơ quan"

    @admin.display(description="thứ", ordering="date")
    def weekday(self, day: CalendarDay) -> str:
        return WEEKDAY_NAMES[day.date.weekday()]
