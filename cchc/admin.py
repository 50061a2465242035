from django.contrib import admin

from cchc.models import CalendarDay
from cchc.periods import WEEKDAY_NAMES


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
