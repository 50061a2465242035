"""The forms of the notification settings (a person's, the agency's) and the filters of the sent log.

A digest hour is chosen among the quarter hours of the working day (QUARTER_HOURS); an hour set
otherwise (in the Django admin) stays selectable on the form that shows it."""

import datetime

import django_filters
from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q

from cchc.limits import BoundedTextForm
from notifications.models import AgencySettings, Notification
from tasks.filters import ListFilter, VietnameseDateFilter

Kind = Notification.Kind
FIRST_HOUR, LAST_HOUR = datetime.time(5, 0), datetime.time(21, 0)
QUARTER = datetime.timedelta(minutes=15)


def _hour_label(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def _quarter_hours() -> list[datetime.time]:
    day = datetime.date(2000, 1, 1)
    moment, last = datetime.datetime.combine(day, FIRST_HOUR), datetime.datetime.combine(day, LAST_HOUR)
    hours = []
    while moment <= last:
        hours.append(moment.time())
        moment += QUARTER
    return hours


QUARTER_HOURS = _quarter_hours()


def _as_time(value: str) -> datetime.time:
    return datetime.datetime.strptime(value, "%H:%M").time()


class QuarterHourField(forms.TypedChoiceField):
    """An hour of the day among QUARTER_HOURS (and `current`, the hour saved, when it is not one of
    them); with `empty_label`, an empty choice first, cleaned as None."""

    def __init__(self, *, current: datetime.time | None = None, empty_label: str | None = None, **kwargs):
        hours = sorted({*QUARTER_HOURS, current} - {None})
        choices = [(_hour_label(hour), _hour_label(hour)) for hour in hours]
        if empty_label is not None:
            choices.insert(0, ("", empty_label))
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "Chọn một giờ trong danh sách (từ 05:00 đến 21:00)."}
        )
        super().__init__(choices=choices, coerce=_as_time, empty_value=None, **kwargs)

    def prepare_value(self, value):
        return _hour_label(value) if isinstance(value, datetime.time) else value


def _no_tag_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


KIND_ERRORS = {"invalid_choice": "Không có loại thông báo “%(value)s”."}


class PreferenceForm(BoundedTextForm, forms.Form):
    """A person's choice: mail or not, the digest hour, and per kind of notice whether they are told
    and whether it comes by mail (the table's two columns of checkboxes: what is checked is wanted)."""

    mail_enabled = forms.BooleanField(label="Nhận thư điện tử", required=False)
    notified = forms.MultipleChoiceField(
        label="Nhận thông báo",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages=KIND_ERRORS,
    )
    mailed = forms.MultipleChoiceField(
        label="Gửi qua thư",
        choices=Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages=KIND_ERRORS,
    )

    def __init__(self, *args, preference, agency_time: datetime.time, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "mail_enabled": preference.mail_enabled,
                "digest_time": preference.digest_time,
                "notified": [kind for kind in Kind.values if kind not in preference.muted],
                "mailed": [kind for kind in Kind.values if kind not in preference.not_mailed],
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["digest_time"] = QuarterHourField(
            label="Giờ nhận thư tổng hợp",
            required=False,
            current=preference.digest_time,
            empty_label=f"Theo giờ mặc định của cơ quan ({_hour_label(agency_time)})",
            help_text="Giờ Việt Nam, vào các ngày làm việc.",
        )
        self.order_fields(["mail_enabled", "digest_time"])
        self.helper = _no_tag_helper()

    def kind_rows(self) -> list[tuple]:
        """One row per kind of notice: its two checkboxes (bound subwidgets, with their choice label)."""
        return list(zip(self["notified"], self["mailed"], strict=True))

    def choices(self) -> dict:
        """The cleaned choice as notifications.preferences.preference_update takes it."""
        data = self.cleaned_data
        return {
            "mail_enabled": data["mail_enabled"],
            "digest_time": data["digest_time"],
            "muted": [kind for kind in Kind.values if kind not in data["notified"]],
            "not_mailed": [kind for kind in Kind.values if kind not in data["mailed"]],
        }


class AgencySettingsForm(BoundedTextForm, forms.ModelForm):
    """The agency's reminder rules and default digest hour; AgencySettings.clean checks them."""

    class Meta:
        model = AgencySettings
        fields = [
            "upcoming",
            "repeat_every",
            "escalate_head",
            "escalate_leaders",
            "update_due",
            "digest_time",
        ]
        error_messages = {
            name: {"required": "Nhập số ngày làm việc."}
            for name in ("repeat_every", "escalate_head", "escalate_leaders", "update_due")
        } | {"upcoming": {"required": "Ghi các số ngày làm việc, ví dụ 7, 3, 1."}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_field = AgencySettings._meta.get_field("digest_time")
        self.fields["digest_time"] = QuarterHourField(
            label=model_field.verbose_name.capitalize(),
            help_text=model_field.help_text,
            current=self.instance.digest_time,
            error_messages={
                "required": "Chọn giờ gửi thư tổng hợp.",
                "invalid_choice": "Chọn một giờ trong danh sách (từ 05:00 đến 21:00).",
            },
        )
        for name in ("repeat_every", "escalate_head", "escalate_leaders", "update_due"):
            self.fields[name].widget.attrs.update({"min": 1})
            self.fields[name].error_messages["invalid"] = "Nhập một số nguyên ngày làm việc."
        self.helper = _no_tag_helper()


class LogFilter(ListFilter):
    """The sent log's filters: a person of the agency, a task (its number as written, or its id), a
    day (the notice's, or its mail's), a kind of notice."""

    person = django_filters.ChoiceFilter(
        label="Người nhận",
        empty_label="Mọi người",
        field_name="recipient_id",
        error_messages={"invalid_choice": "Người này không thuộc cơ quan."},
    )
    task = django_filters.CharFilter(
        label="Nhiệm vụ",
        method="by_task",
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "số, ví dụ 1.2"}),
        error_messages={"max_length": "Số nhiệm vụ dài tối đa %(limit_value)d ký tự."},
    )
    day = VietnameseDateFilter(label="Ngày", method="on_day")
    kind = django_filters.ChoiceFilter(
        label="Loại",
        empty_label="Mọi loại",
        choices=Kind.choices,
        error_messages={"invalid_choice": "Không có loại thông báo này."},
    )

    layout = {
        "person": "col-12 col-sm-6 col-lg-3",
        "task": "col-6 col-sm-3 col-lg-2",
        "day": "col-6 col-sm-3 col-lg-2",
        "kind": "col-12 col-sm-6 col-lg-3",
    }

    def __init__(self, data, *, queryset, people):
        super().__init__(data, queryset=queryset)
        self.filters["person"].extra["choices"] = [(str(person.pk), str(person)) for person in people]

    def by_task(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matches = Q(task__number=value)
        if value.isdigit():
            matches |= Q(task_id=int(value))
        return queryset.filter(matches)

    def on_day(self, queryset, name, value):
        """Noticed that day (Vietnam time), or carried by a mail of that day."""
        return queryset.filter(Q(created_at__date=value) | Q(mail__day=value))
