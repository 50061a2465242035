from crispy_forms.helper import FormHelper
from django import forms

from cchc import formatting
from plans.forms import VietnameseDateField
from reports.models import PeriodicReport
from reports.services import EDITABLE_FIELDS


def _no_tag_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def _check_number(form, *, agency, exclude_pk=None) -> None:
    """A number needs a date, and may not repeat a report of the agency issued the same year."""
    cleaned = form.cleaned_data
    number, issued_on = cleaned.get("number"), cleaned.get("issued_on")
    if number and not issued_on and "issued_on" not in form.errors:
        form.add_error("issued_on", "Báo cáo có số thì phải có ngày ban hành (dd/mm/yyyy).")
    if not number or not issued_on:
        return
    clash = (
        PeriodicReport.objects.filter(agency=agency, number=number, issued_on__year=issued_on.year)
        .exclude(pk=exclude_pk)
        .select_related("plan")
        .first()
    )
    if clash is not None:
        form.add_error(
            "number",
            f"Số {formatting.document_number(number, clash.symbol)} đã được dùng cho báo cáo "
            f"{clash.period_label} năm {issued_on.year}. Chọn số khác.",
        )


class ReportCreateForm(forms.Form):
    period = forms.ChoiceField(
        label="Kỳ báo cáo",
        choices=PeriodicReport.Period.choices,
        help_text="Quý I: 15/12 năm trước – 14/3; 6 tháng: 15/12 – 14/6; quý III: 15/6 – 14/9; "
        "năm: 15/12 – 14/12 (Công văn 581/BNV-CCHC).",
    )
    year = forms.IntegerField(label="Năm báo cáo", min_value=2000, max_value=2100)
    starts_on = VietnameseDateField(
        label="Số liệu từ ngày", required=False, help_text="Chỉ dùng cho kỳ tùy chọn."
    )
    ends_on = VietnameseDateField(
        label="Số liệu đến ngày", required=False, help_text="Chỉ dùng cho kỳ tùy chọn."
    )
    number = forms.IntegerField(
        label="Số",
        min_value=1,
        required=False,
        help_text="Số tiếp theo còn trống; có thể để trống khi còn là dự thảo.",
    )
    symbol = forms.CharField(label="Ký hiệu", max_length=40)
    issued_on = VietnameseDateField(label="Ngày ban hành", required=False)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.fields["year"].error_messages.update(
            {
                "required": "Nhập năm báo cáo.",
                "min_value": "Năm báo cáo phải từ 2000 trở đi.",
                "max_value": "Năm báo cáo phải trước 2100.",
            }
        )
        self.fields["number"].error_messages["min_value"] = "Số văn bản phải từ 1 trở lên."
        self.fields["symbol"].error_messages["required"] = "Nhập ký hiệu, ví dụ BC-SKHĐT."
        self.helper = _no_tag_helper()

    def clean_symbol(self):
        return self.cleaned_data["symbol"].replace(" ", "")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") == PeriodicReport.Period.CUSTOM:
            starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
            if not starts_on and "starts_on" not in self.errors:
                self.add_error("starts_on", "Kỳ tùy chọn cần ngày bắt đầu lấy số liệu.")
            if not ends_on and "ends_on" not in self.errors:
                self.add_error("ends_on", "Kỳ tùy chọn cần ngày kết thúc lấy số liệu.")
            if starts_on and ends_on and ends_on < starts_on:
                self.add_error(
                    "ends_on",
                    f"Ngày kết thúc ({formatting.short_date(ends_on)}) phải sau hoặc trùng ngày bắt đầu "
                    f"({formatting.short_date(starts_on)}).",
                )
        _check_number(self, agency=self.agency)
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"period": data["period"], "symbol": data["symbol"]}
        if data["period"] == PeriodicReport.Period.CUSTOM:
            arguments.update(starts_on=data["starts_on"], ends_on=data["ends_on"])
        else:
            arguments["year"] = data["year"]
        if data.get("number"):
            arguments.update(number=data["number"], issued_on=data["issued_on"])
        elif data.get("issued_on"):
            arguments["issued_on"] = data["issued_on"]
        return arguments


TEXT_FIELDS = ("introduction", "difficulties", "next_tasks", "proposals")


class ReportEditForm(forms.ModelForm):
    """The header and texts of a draft report, with a pair of texts (results, shortcomings) per area."""

    issued_on = VietnameseDateField(label="Ngày ban hành", required=False)

    class Meta:
        model = PeriodicReport
        fields = [name for name in EDITABLE_FIELDS if name != "area_texts"]
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 5, "placeholder": "UBND tỉnh (b/c)\nLưu: VT, VP."}),
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "difficulties": forms.Textarea(attrs={"rows": 5}),
            "next_tasks": forms.Textarea(attrs={"rows": 8}),
            "proposals": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "symbol": {"required": "Nhập ký hiệu, ví dụ BC-SKHĐT."},
            "place_name": {"required": "Nhập địa danh, ví dụ Vĩnh Phúc."},
            "number": {"min_value": "Số văn bản phải từ 1 trở lên."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs["min"] = 1
        self.area_fields = []
        for entry in self.instance.area_texts:
            results, shortcomings = f"ket_qua_{entry['area_id']}", f"ton_tai_{entry['area_id']}"
            self.fields[results] = forms.CharField(
                label="Kết quả đạt được",
                required=False,
                initial=entry.get("results", ""),
                widget=forms.Textarea(attrs={"rows": 6}),
            )
            self.fields[shortcomings] = forms.CharField(
                label="Tồn tại, hạn chế",
                required=False,
                initial=entry.get("shortcomings", ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.area_fields.append((entry["name"], self[results], self[shortcomings]))
        self.helper = _no_tag_helper()

    def clean_symbol(self):
        return self.cleaned_data["symbol"].replace(" ", "")

    def clean(self):
        cleaned = super().clean()
        _check_number(self, agency=self.instance.agency, exclude_pk=self.instance.pk)
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {name: data[name] for name in self._meta.fields}
        arguments["area_texts"] = [
            {
                "area_id": entry["area_id"],
                "results": data[f"ket_qua_{entry['area_id']}"],
                "shortcomings": data[f"ton_tai_{entry['area_id']}"],
            }
            for entry in self.instance.area_texts
        ]
        return arguments


class ReportRefreshForm(forms.Form):
    redraft = forms.BooleanField(
        label="Soạn lại nội dung từ báo cáo tiến độ (thay thế nội dung đã sửa)", required=False
    )
