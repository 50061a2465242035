from django import forms

from cchc.forms import compact_style
from plans.forms import VietnameseDateField


class DashboardForm(forms.Form):
    """The date the dashboard's figures are computed for."""

    ngay = VietnameseDateField(label="Số liệu tại ngày", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        compact_style(self)

    def as_of(self):
        self.is_valid()
        return self.cleaned_data.get("ngay")
