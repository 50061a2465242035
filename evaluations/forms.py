"""The forms of the evaluation pages: a new round, a criterion's self-score and appraisal, a reason.

The forms read what was typed; the rules (points in range, dates in order, bands) are the services'
and scoring's, whose ValidationErrors the views show on the form."""

import re

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts.models import Role, User
from cchc.limits import BoundedTextForm
from evaluations.models import Rubric, Scope
from evaluations.scoring import check_bands, parse_number, shown
from plans.forms import VietnameseDateField

BANDS_EXAMPLE = "90 Xuất sắc; 80 Tốt; 65 Khá; 50 Trung bình; 0 Yếu"
BAND = re.compile(r"^\s*([0-9][0-9.,]*)\s+(\S.*?)\s*$")  # "90 Xuất sắc": the points from, the name


def _no_tag_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def parse_bands(text: str) -> list[list]:
    """ "90 Xuất sắc; 80 Tốt; …" (or one band a line) as [[90, "Xuất sắc"], [80, "Tốt"], …]; every
    badly written band named in one ValidationError."""
    parts = [part for part in re.split(r"[;\n]", text or "") if part.strip()]
    if not parts:
        raise ValidationError(f"Nhập các mức xếp loại, ví dụ “{BANDS_EXAMPLE}”.")
    bands, errors = [], []
    for part in parts:
        match = BAND.match(part)
        if match is None:
            errors.append(f"Mức “{part.strip()}” phải ghi điểm từ rồi tên xếp loại, ví dụ “90 Xuất sắc”.")
            continue
        try:
            start = parse_number(match[1])
        except ValidationError:
            errors.append(f"Mức “{part.strip()}”: “{match[1]}” không phải là một số.")
            continue
        bands.append([int(start) if start == int(start) else float(start), match[2]])
    if errors:
        raise ValidationError(errors)
    return bands


def rubric_choices(agency):
    """The rubrics an agency may run a round with: the shipped defaults of the scope it scores (its
    departments; the agencies of the province too where overseers work, i.e. Sở Nội vụ) and its own."""
    scopes = [Scope.DEPARTMENTS]
    if User.objects.filter(agency=agency, role=Role.OVERSEER, is_active=True).exists():
        scopes.append(Scope.AGENCIES)
    return Rubric.objects.filter(Q(agency=None, is_default=True, scope__in=scopes) | Q(agency=agency))


class RoundForm(BoundedTextForm, forms.Form):
    title = forms.CharField(
        label="Tên đợt",
        max_length=255,
        required=False,
        help_text="Để trống: “Đánh giá, chấm điểm cải cách hành chính năm …”.",
    )
    year = forms.IntegerField(label="Năm đánh giá", min_value=2000, max_value=2100)
    rubric = forms.ModelChoiceField(
        label="Bộ tiêu chí",
        queryset=Rubric.objects.none(),
        empty_label="— chọn bộ tiêu chí —",
        help_text="Đối tượng chấm (các phòng hay các cơ quan) theo bộ tiêu chí.",
    )
    self_from = VietnameseDateField(label="Tự đánh giá từ ngày")
    self_to = VietnameseDateField(label="Tự đánh giá đến ngày")
    appraisal_from = VietnameseDateField(label="Thẩm định từ ngày")
    appraisal_to = VietnameseDateField(label="Thẩm định đến ngày")
    cut_off = VietnameseDateField(
        label="Số liệu tính đến ngày",
        required=False,
        help_text="Để trống: 31/12 của năm đánh giá.",
    )
    appraisers = forms.ModelMultipleChoiceField(
        label="Người thẩm định",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bands = forms.CharField(
        label="Xếp loại",
        initial=BANDS_EXAMPLE,
        help_text=f"Điểm từ và tên mức, từ cao xuống, cách nhau bằng dấu chấm phẩy: {BANDS_EXAMPLE}.",
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = rubric_choices(agency)
        self.fields["rubric"].label_from_instance = lambda rubric: (
            f"{rubric.name} ({rubric.get_scope_display().lower()}, {shown(rubric.total_points)} điểm)"
        )
        self.fields["rubric"].error_messages["required"] = "Chọn bộ tiêu chí."
        self.fields["appraisers"].queryset = User.objects.filter(agency=agency, is_active=True).order_by(
            "full_name"
        )
        self.fields["appraisers"].label_from_instance = lambda user: (
            f"{user.full_name or user.username} – {user.get_role_display()}"
        )
        self.fields["year"].error_messages.update(
            {
                "required": "Nhập năm đánh giá.",
                "min_value": "Năm đánh giá phải từ 2000 trở đi.",
                "max_value": "Năm đánh giá phải trước 2100.",
            }
        )
        for name in ("self_from", "self_to", "appraisal_from", "appraisal_to"):
            self.fields[name].error_messages["required"] = "Nhập ngày (dd/mm/yyyy)."
        self.fields["bands"].error_messages["required"] = f"Nhập các mức xếp loại, ví dụ “{BANDS_EXAMPLE}”."
        self.helper = _no_tag_helper()

    def clean_bands(self):
        return parse_bands(self.cleaned_data["bands"])

    def clean(self):
        cleaned = super().clean()
        rubric, bands = cleaned.get("rubric"), cleaned.get("bands")
        if rubric is not None and bands:
            try:
                check_bands(bands, rubric.total_points)
            except ValidationError as error:
                self.add_error("bands", error)
        return cleaned

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["appraisers"] = list(data["appraisers"])
        return data


class SelfScoreForm(BoundedTextForm, forms.Form):
    """One criterion's row as the unit fills it: the value as its method reads it (points, có / không,
    a rate in %), what was declared, the explanation and an evidence file."""

    value = forms.CharField(label="Điểm tự chấm", max_length=100, required=False)
    declared = forms.CharField(label="Số liệu kê khai", max_length=100, required=False)
    explanation = forms.CharField(label="Giải trình", required=False, widget=forms.Textarea)
    upload = forms.FileField(label="Thêm tài liệu kiểm chứng", required=False)


class AppraiseForm(BoundedTextForm, forms.Form):
    points = forms.CharField(label="Điểm thẩm định", max_length=20)
    note = forms.CharField(label="Ý kiến thẩm định", required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["points"].error_messages["required"] = "Nhập điểm thẩm định."


class ReasonForm(BoundedTextForm, forms.Form):
    reason = forms.CharField(label="Lý do", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MoveForm(ReasonForm):
    move = forms.CharField()


class RubricImportForm(BoundedTextForm, forms.Form):
    """An .xlsx grid of criteria to keep as the agency's own rubric."""

    name = forms.CharField(label="Tên bộ tiêu chí", max_length=255)
    scope = forms.ChoiceField(label="Đối tượng chấm", choices=Scope.choices, initial=Scope.DEPARTMENTS)
    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        help_text="Bảng gồm các cột STT | Tiêu chí, tiêu chí thành phần | Điểm tối đa | Cách tính điểm | "
        "Tài liệu kiểm chứng; dòng “Tổng cộng” (nếu có) cho tổng điểm.",
    )
