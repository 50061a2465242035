import datetime

from django import forms

from plans.forms import EARLIEST_DATE, LATEST_DATE, VietnameseDateField

FIRST_YEAR = 2011  # the first year with reform areas (Nghị quyết 30c/NQ-CP)


class DashboardForm(forms.Form):
    """The date the dashboard's figures are computed for; a date that cannot be read shows today's."""

    as_of = VietnameseDateField(
        label="Số liệu tại ngày",
        required=False,
        error_messages={
            "invalid": "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 15/01/2019. Đang hiển thị số liệu hôm nay.",
            "out_of_range": f"Nhập một ngày từ năm {EARLIEST_DATE.year} đến năm {LATEST_DATE.year}. "
            "Đang hiển thị số liệu hôm nay.",
        },
    )

    def as_of_date(self):
        """The date asked for, when it could be read."""
        self.is_valid()
        return self.cleaned_data.get("as_of")


def _plausible_year(value, today: datetime.date) -> int:
    """The year asked for, or the current one when it is missing or not a plausible year."""
    try:
        year = int(value or "")
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


class ProvinceForm(DashboardForm):
    """The year of the plans the province view counts, and the date of its figures. A year that is
    missing or implausible gives the current one, and the list shows the year counted."""

    year = forms.TypedChoiceField(label="Năm kế hoạch", coerce=int, required=False)  # always given: see below

    field_order = ["year", "as_of"]

    def __init__(self, data, *, today: datetime.date):
        data = data.copy()
        self.chosen_year = _plausible_year(data.get("year"), today)  # form["year"] is the field
        data["year"] = str(self.chosen_year)
        super().__init__(data)
        years = range(today.year + 1, min(self.chosen_year, FIRST_YEAR) - 1, -1)
        self.fields["year"].choices = [(year, year) for year in years]
