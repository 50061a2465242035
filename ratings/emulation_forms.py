"""The forms of the emulation page (thi đua): registrations, initiatives, discipline records, a
department's own level, the council's size, a nomination, a ballot, the decision and its reopen.

The forms read what was typed and check what belongs to the form alone: the person or department is one
of the round's agency (a foreign id is refused, never written), the dates fall in the round's year and not
in the future, a registration is not made twice. The rules of the titles are ratings.services', whose
refusals the views show on the form or as a message."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Department, User
from cchc.limits import BoundedTextForm
from plans.forms import VietnameseDateField
from ratings.models import (
    COLLECTIVE_TITLES,
    PERSONAL_TITLES,
    Discipline,
    Initiative,
    Level,
    Registration,
    Round,
    Title,
)
from ratings.services import RATED_ROLES

LEVEL_CHOICES = [("", "— Chọn mức —"), *Level.choices]
FOREIGN_PERSON = "Người được chọn không thuộc cơ quan của đợt đánh giá."
FOREIGN_DEPARTMENT = "Phòng được chọn không thuộc cơ quan của đợt đánh giá."


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} — {obj.department}" if obj.department_id else obj.full_name


def people_field(round_: Round, *, label: str, required: bool = True) -> PersonChoiceField:
    """The agency's people that a round rates (active staff, heads and clerks of its departments)."""
    queryset = (
        User.objects.filter(agency_id=round_.agency_id, role__in=RATED_ROLES, department__isnull=False)
        .select_related("department")
        .order_by("department__position", "department__name", "full_name", "pk")
    )
    return PersonChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        empty_label="— Chọn người —",
        error_messages={"invalid_choice": FOREIGN_PERSON, "required": "Hãy chọn một người."},
    )


def departments_field(round_: Round, *, label: str, required: bool = True) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=Department.objects.open()
        .filter(agency_id=round_.agency_id)
        .order_by("position", "name", "pk"),
        required=required,
        empty_label="— Chọn phòng —",
        error_messages={"invalid_choice": FOREIGN_DEPARTMENT, "required": "Hãy chọn một phòng."},
    )


def check_in_year(round_: Round, day: datetime.date | None, what: str) -> None:
    """A date recorded in a round: within the round's year (the only one its titles count) and not in the
    future."""
    if day is None:
        return
    if day.year != round_.year:
        raise ValidationError(
            f"{what} phải trong năm {round_.year} (năm của đợt đánh giá); "
            f"ngày {day:%d/%m/%Y} không thuộc năm {round_.year}."
        )
    if day > timezone.localdate():
        raise ValidationError(f"{what} không được sau ngày hôm nay.")


class RoundForm(BoundedTextForm, forms.Form):
    """A form that knows its round. Several stand on one page: each has its own ids (auto_id)."""

    auto_id_format = "id_%s"

    def __init__(self, *args, round_: Round, **kwargs):
        self.round = round_
        kwargs.setdefault("auto_id", self.auto_id_format)
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class RegistrationForm(RoundForm):
    auto_id_format = "registration_%s"
    title = forms.ChoiceField(label="Danh hiệu đăng ký", choices=[("", "— Chọn danh hiệu —"), *Title.choices])
    registered_on = VietnameseDateField(label="Ngày đăng ký")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "person": people_field(self.round, label="Cá nhân", required=False),
            "department": departments_field(self.round, label="hoặc tập thể (phòng)", required=False),
            **self.fields,
        }

    def clean_registered_on(self):
        day = self.cleaned_data["registered_on"]
        # Registrations are made at the start of the year, sometimes in the last days of the one before.
        if day.year not in (self.round.year - 1, self.round.year):
            raise ValidationError(
                f"Ngày đăng ký phải trong năm {self.round.year} hoặc cuối năm {self.round.year - 1}."
            )
        if day > timezone.localdate():
            raise ValidationError("Ngày đăng ký không được sau ngày hôm nay.")
        return day

    def clean(self):
        data = super().clean()
        person, department, title = data.get("person"), data.get("department"), data.get("title")
        if self.errors:
            return data
        if bool(person) == bool(department):
            raise ValidationError("Hãy chọn hoặc một cá nhân, hoặc một tập thể (không chọn cả hai).")
        if person and title not in PERSONAL_TITLES:
            self.add_error("title", "Cá nhân đăng ký Lao động tiên tiến hoặc Chiến sĩ thi đua cơ sở.")
        if department and title not in COLLECTIVE_TITLES:
            self.add_error("title", "Tập thể đăng ký Tập thể lao động tiên tiến hoặc xuất sắc.")
        registered = self.round.registrations.filter(
            **({"person": person} if person else {"department": department})
        )
        if registered.exists():
            name = person.full_name if person else department.name
            raise ValidationError(f"{name} đã đăng ký thi đua trong năm {self.round.year}.")
        return data

    def create(self, *, by) -> Registration:
        data = self.cleaned_data
        return Registration.objects.create(
            round=self.round,
            person=data["person"],
            department=data["department"],
            title=data["title"],
            registered_on=data["registered_on"],
            registered_by=by,
        )


class InitiativeForm(RoundForm):
    auto_id_format = "initiative_%s"
    title = forms.CharField(label="Tên sáng kiến", max_length=500)
    recognised_on = VietnameseDateField(label="Ngày được công nhận")
    level = forms.ChoiceField(label="Cấp công nhận", choices=Initiative.Level.choices)
    decision = forms.CharField(label="Quyết định công nhận", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"person": people_field(self.round, label="Tác giả"), **self.fields}

    def clean_recognised_on(self):
        day = self.cleaned_data["recognised_on"]
        check_in_year(self.round, day, "Ngày được công nhận")
        return day

    def create(self, *, by) -> Initiative:
        data = self.cleaned_data
        return Initiative.objects.create(
            agency_id=self.round.agency_id,
            person=data["person"],
            title=data["title"].strip(),
            recognised_on=data["recognised_on"],
            level=data["level"],
            decision=data["decision"].strip(),
            recorded_by=by,
        )


class DisciplineForm(RoundForm):
    auto_id_format = "discipline_%s"
    form = forms.ChoiceField(
        label="Hình thức kỷ luật", choices=[("", "— Chọn hình thức —"), *Discipline.Form.choices]
    )
    decided_on = VietnameseDateField(label="Ngày quyết định")
    decision = forms.CharField(label="Số quyết định", max_length=100, required=False)
    reason = forms.CharField(label="Hành vi vi phạm", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"person": people_field(self.round, label="Người bị kỷ luật"), **self.fields}

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        check_in_year(self.round, day, "Ngày quyết định kỷ luật")
        return day

    def create(self, *, by) -> Discipline:
        data = self.cleaned_data
        return Discipline.objects.create(
            agency_id=self.round.agency_id,
            person=data["person"],
            form=data["form"],
            decided_on=data["decided_on"],
            decision=data["decision"].strip(),
            reason=data["reason"].strip(),
            recorded_by=by,
        )


class UnitLevelForm(RoundForm):
    level = forms.ChoiceField(label="Mức xếp loại tập thể", choices=LEVEL_CHOICES)
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = departments_field(self.round, label="Phòng")
        field.widget = forms.HiddenInput()
        self.fields = {"department": field, **self.fields}


class CouncilForm(BoundedTextForm, forms.Form):
    council_members = forms.IntegerField(
        label="Số thành viên Hội đồng thi đua, khen thưởng",
        min_value=1,
        max_value=200,
        error_messages={"min_value": "Hội đồng có ít nhất 1 thành viên.", "invalid": "Nhập một số nguyên."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class NominationForm(RoundForm):
    auto_id_format = "nomination_%s"
    title = forms.ChoiceField(label="Danh hiệu", choices=Title.choices)
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {
            "person": people_field(self.round, label="Cá nhân", required=False),
            "department": departments_field(self.round, label="Tập thể", required=False),
            **self.fields,
        }


class BallotForm(BoundedTextForm, forms.Form):
    votes_for = forms.IntegerField(
        label="Số phiếu đồng ý",
        min_value=0,
        required=False,
        error_messages={"min_value": "Số phiếu đồng ý không được âm.", "invalid": "Nhập một số nguyên."},
        help_text="Để trống khi chưa bỏ phiếu.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DecisionForm(RoundForm):
    auto_id_format = "decision_%s"
    decision_number = forms.CharField(label="Số quyết định", max_length=50, help_text="Ví dụ: 125/QĐ-SKHĐT.")
    decision_date = VietnameseDateField(label="Ngày quyết định")


class ReopenForm(BoundedTextForm, forms.Form):
    reason = forms.CharField(
        label="Lý do mở lại",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Hãy ghi lý do mở lại."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
