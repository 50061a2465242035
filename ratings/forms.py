"""The forms of the rating pages. They read what was typed (points as people type them, "27,5"); the
rules are ratings.rules' and ratings.services', whose refusals the views show on the form."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from cchc.limits import BoundedTextForm
from evaluations.scoring import parse_number
from plans.forms import VietnameseDateField
from ratings.models import Level, Round, Scheme
from ratings.rules import POINTS_FROM, defaults_for, shown

LEVEL_CHOICES = [("", "— Chọn mức —"), *Level.choices]


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class PointsField(forms.CharField):
    """Points typed as "27,5" or "27.5"; blank allowed when not required."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return parse_number(value)


class RoundForm(BoundedTextForm, forms.Form):
    year = forms.IntegerField(label="Năm đánh giá", min_value=2000, max_value=2100)
    cut_off = VietnameseDateField(
        label="Số liệu nhiệm vụ tính đến ngày",
        required=False,
        help_text="Để trống: ngày 14/12 của năm đánh giá.",
    )
    scheme = forms.ChoiceField(label="Phương pháp", choices=Scheme.choices)
    general_max = PointsField(label="Điểm tối đa tiêu chí chung", required=False)
    quantity_max = PointsField(label="Điểm tối đa số lượng công việc", required=False)
    quality_max = PointsField(label="Điểm tối đa chất lượng công việc", required=False)
    timeliness_max = PointsField(label="Điểm tối đa tiến độ công việc", required=False)
    htxs_from = PointsField(label="HTXS từ (điểm)", required=False)
    htt_from = PointsField(label="HTT từ (điểm)", required=False)
    htnv_from = PointsField(label="HTNV từ (điểm)", required=False)
    cap_percent = forms.IntegerField(label="Tỷ lệ HTXS tối đa (% số HTT)", min_value=0, max_value=100)
    min_months = forms.IntegerField(
        label="Số tháng công tác tối thiểu để xếp loại", min_value=0, max_value=12
    )
    early_days = forms.IntegerField(
        label="Vượt tiến độ khi hoàn thành trước hạn từ (ngày)",
        min_value=0,
        max_value=365,
        help_text="Tiêu chí “hoàn thành vượt mức” của mức HTXS (Nghị định 90/2020/NĐ-CP).",
    )

    POINT_FIELDS = (
        "general_max",
        "quantity_max",
        "quality_max",
        "timeliness_max",
        "htxs_from",
        "htt_from",
        "htnv_from",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    @classmethod
    def initial_for(cls, year: int) -> dict:
        defaults = defaults_for(year)
        initial = {"year": year, "early_days": 5, **defaults}
        for name in cls.POINT_FIELDS:
            initial[name] = shown(defaults[name])
        return initial

    def clean(self):
        data = super().clean()
        if "year" not in data or "scheme" not in data:
            return data
        # The points scheme's maxima and bands where left blank; none at all for the criteria scheme.
        fallback = defaults_for(POINTS_FROM if data["scheme"] == Scheme.POINTS else POINTS_FROM - 1)
        for name in self.POINT_FIELDS:
            if data["scheme"] != Scheme.POINTS or data.get(name) is None and name not in self.errors:
                data[name] = fallback[name]
        cut_off = data.get("cut_off")
        if cut_off and cut_off.year != data["year"]:
            self.add_error("cut_off", f"Ngày tính số liệu phải trong năm {data['year']}.")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("year", "scheme", "cap_percent", "min_months", "early_days", *self.POINT_FIELDS)
        } | {"cut_off": data.get("cut_off")}


class SelfForm(BoundedTextForm, forms.Form):
    self_review = forms.CharField(
        label="Tự nhận xét ưu, khuyết điểm",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Kết quả thực hiện nhiệm vụ, ưu điểm, hạn chế, khuyết điểm.",
    )
    self_level = forms.ChoiceField(label="Tự xếp loại", choices=LEVEL_CHOICES, required=False)


class TimeForm(BoundedTextForm, forms.Form):
    months_worked = PointsField(label="Số tháng công tác trong năm")
    maternity = forms.BooleanField(label="Nghỉ chế độ thai sản", required=False)

    def clean_months_worked(self):
        value = self.cleaned_data["months_worked"]
        if value < 0 or value > 12:
            raise ValidationError("Số tháng công tác phải từ 0 đến 12.")
        return value


class ProposeForm(BoundedTextForm, forms.Form):
    general_points = PointsField(label="Điểm tiêu chí chung", required=False)
    general_met = forms.TypedChoiceField(
        label="Tiêu chí chung",
        choices=[("", "— Chọn —"), ("1", "Đạt"), ("0", "Không đạt")],
        coerce=lambda value: value == "1",
        empty_value=None,
        required=False,
    )
    task_points = PointsField(
        label="Điểm kết quả thực hiện nhiệm vụ",
        required=False,
        help_text="Chỉ khi không có nhiệm vụ được giao trên phần mềm: người đánh giá chấm.",
    )
    head_comment = forms.CharField(
        label="Nhận xét ưu, khuyết điểm",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    proposed_level = forms.ChoiceField(label="Mức đề xuất", choices=LEVEL_CHOICES, required=False)
    proposal_reason = forms.CharField(
        label="Lý do (khi khác mức gợi ý)",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, round_: Round, manual_tasks: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if round_.scheme == Scheme.POINTS:
            del self.fields["general_met"]
            self.fields["general_points"].label = f"Điểm tiêu chí chung (tối đa {shown(round_.general_max)})"
            if manual_tasks:
                self.fields[
                    "task_points"
                ].label = f"Điểm kết quả thực hiện nhiệm vụ (tối đa {shown(round_.task_max)})"
            else:
                del self.fields["task_points"]
        else:
            del self.fields["general_points"], self.fields["task_points"]


class DecideForm(BoundedTextForm, forms.Form):
    decided_level = forms.ChoiceField(label="Quyết định xếp loại", choices=LEVEL_CHOICES, required=False)
    decision_note = forms.CharField(
        label="Ý kiến (bắt buộc khi khác mức đề xuất)",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class ReasonForm(BoundedTextForm, forms.Form):
    reason = forms.CharField(label="Lý do", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class CapForm(BoundedTextForm, forms.Form):
    text = forms.CharField(
        label="Lý do vượt tỷ lệ HTXS",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Thành tích nổi trội, hoàn thành vượt kế hoạch, công việc đột xuất… theo quyết định của cấp có thẩm quyền.",
    )
