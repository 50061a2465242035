from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc import formatting
from cchc.limits import BoundedTextForm
from plans.forms import VietnameseDateField
from reports.models import PeriodicReport
from reports.services import EDITABLE_FIELDS, next_free_number, same_window_reports, window_of

NUMBER_HELP = (
    "Số và ngày ban hành được ghi khi văn bản được ký ban hành (Điều 15 Nghị định 30/2020/NĐ-CP); "
    "để trống khi còn là dự thảo, bản in để trống số và ngày."
)
ADDRESSEES_HELP = (
    "Báo cáo gửi cấp trên: mỗi dòng một nơi nhận, ví dụ “Ủy ban nhân dân tỉnh Vĩnh Phúc” và "
    "“Sở Nội vụ”; để trống nếu báo cáo không có phần Kính gửi."
)


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
            f"{clash.period_label} (ban hành năm {issued_on.year}). Chọn số khác.",
        )


class ReportCreateForm(BoundedTextForm, forms.Form):
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
    number = forms.IntegerField(label="Số", min_value=1, required=False, help_text=NUMBER_HELP)
    symbol = forms.CharField(label="Ký hiệu", max_length=40)
    issued_on = VietnameseDateField(label="Ngày ban hành", required=False)
    addressees = forms.CharField(
        label="Kính gửi",
        required=False,
        help_text=ADDRESSEES_HELP,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    replace_reason = forms.CharField(
        label="Lý do lập báo cáo thay thế",
        required=False,
        max_length=500,
        help_text="Chỉ khi kỳ này đã có báo cáo: lý do được ghi vào lịch sử của cả hai báo cáo.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, agency, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.plan = plan
        self.fields["year"].error_messages.update(
            {
                "required": "Nhập năm báo cáo.",
                "min_value": "Năm báo cáo phải từ 2000 trở đi.",
                "max_value": "Năm báo cáo phải trước 2100.",
            }
        )
        self.fields["number"].error_messages["min_value"] = "Số văn bản phải từ 1 trở lên."
        self.fields["symbol"].error_messages["required"] = "Nhập ký hiệu, ví dụ BC-SKHĐT."
        self.fields["replace_reason"].error_messages["max_length"] = "Lý do dài tối đa 500 ký tự."
        self.helper = _no_tag_helper()
        # The reports already made for the window asked for, once the form is cleaned (the page links
        # to them and asks for a reason before a replacement is made).
        self.existing: list[PeriodicReport] = []

    def clean_symbol(self):
        return self.cleaned_data["symbol"].replace(" ", "")

    def window_reports(self) -> list[PeriodicReport]:
        """The plan's reports on the window the cleaned input names (none while it names none)."""
        cleaned = getattr(self, "cleaned_data", {})
        if self.plan is None or not cleaned.get("period"):
            return []
        try:
            starts_on, ends_on = window_of(
                cleaned["period"], cleaned.get("year"), cleaned.get("starts_on"), cleaned.get("ends_on")
            )
        except ValidationError:
            return []
        return list(same_window_reports(self.plan, starts_on, ends_on))

    def _find_existing(self) -> None:
        if self.errors:
            return
        self.existing = self.window_reports()
        if self.existing and not self.cleaned_data.get("replace_reason", "").strip():
            self.add_error(
                "replace_reason",
                f"Kỳ này đã có {self.existing[0]}. Mở báo cáo đó để sửa, hoặc nhập lý do để lập báo "
                "cáo thay thế.",
            )

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
        self._find_existing()
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"period": data["period"], "symbol": data["symbol"], "addressees": data["addressees"]}
        if self.existing:
            arguments["replace_reason"] = data["replace_reason"]
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


class ReportEditForm(BoundedTextForm, forms.ModelForm):
    """The header and texts of a draft report, with a pair of texts (results, shortcomings) per area."""

    issued_on = VietnameseDateField(label="Ngày ban hành", required=False)

    class Meta:
        model = PeriodicReport
        fields = [name for name in EDITABLE_FIELDS if name != "area_texts"]
        widgets = {
            "recipients": forms.Textarea(attrs={"rows": 5, "placeholder": "UBND tỉnh (b/c)\nLưu: VT, VP."}),
            "addressees": forms.Textarea(attrs={"rows": 2}),
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

        help_texts = {"addressees": ADDRESSEES_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs["min"] = 1
        year = self.instance.issued_on.year if self.instance.issued_on else timezone.localdate().year
        self.fields["number"].help_text = (
            f"{NUMBER_HELP} Số tiếp theo còn trống năm {year}: "
            f"{formatting.document_number(next_free_number(self.instance.agency, year), self.instance.symbol)}."
        )
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
