"""The filters of the task lists, read from the query string (django-filter): the plan's task table,
"Việc của tôi" and the department page.

Each FilterSet narrows tasks listed by tasks.selectors.listed (their status on the list's date, the
one rule of tasks.status). A value it cannot use (a department of another agency, an unknown status,
a malformed date) is left out with a Vietnamese message beside its field: the other filters still
apply, and nothing else changes.
"""

import datetime

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from cchc import periods
from cchc.formatting import roman
from cchc.text import fold
from plans.forms import VietnameseDateField
from tasks.forms import section_choice_label, small_fields
from tasks.models import Task
from tasks.selectors import STATUS_GROUPS, assigned_to, due_within, listed, of_status, urgency_order
from tasks.status import COMPLETED, OPEN, Status


class VietnameseDateFilter(django_filters.DateFilter):
    field_class = VietnameseDateField


class DaysFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class ListFilter(django_filters.FilterSet):
    """What the filters of every list share: their form's layout, whether any is used, and the values
    the page was filtered by."""

    layout: dict[str, str] = {}  # the fields shown, each with its grid column's classes

    def columns(self) -> list[tuple[forms.BoundField, str]]:
        """The fields of `layout` with their columns' classes (tasks/_form_columns.html)."""
        return small_fields(self.form, self.layout)

    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.filters)

    def used(self) -> tuple:
        """The valid values, in a stable order: what the rows shown depend on (a cache key part)."""
        self.errors  # noqa: B018 – validates the form, so that cleaned_data exists
        return tuple(sorted((name, str(value)) for name, value in self.form.cleaned_data.items() if value))

    def described(self, *, leave_out=()) -> list[str]:
        """The valid values the list is filtered by, as a reader names them, in the form's order:
        ["Tìm trong nội dung: “cai cach”", "Tình trạng: Chưa hoàn thành, quá hạn"] (an export's title)."""
        self.errors  # noqa: B018 – validates the form, so that cleaned_data exists
        parts = []
        for name, field in self.form.fields.items():
            value = self.form.cleaned_data.get(name)
            if not value or name in leave_out:
                continue
            choices = {str(key): label for key, label in getattr(field, "choices", ())}
            if choices:
                shown = str(choices.get(str(value), value)).strip()
            elif isinstance(field, forms.CharField):
                shown = f"“{value}”"
            else:
                shown = str(value)
            parts.append(f"{field.label}: {shown}")
        return parts


def _area_label(area) -> str:
    return f"{roman(area.position + 1)}. {area.name}"


class PlanTaskFilter(ListFilter):
    """The plan's task table: text (also the outside bodies that lead or coordinate, as written), the
    plan's section (with the sections inside it), lead department, status (or a group of statuses),
    reform area, coming due within some days, and the date the statuses are those of (today by
    default)."""

    q = django_filters.CharFilter(
        label="Tìm trong nội dung",
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Ví dụ: cai cach thu tuc"}),
    )
    section = django_filters.ChoiceFilter(
        label="Mục",
        method="in_section",
        empty_label="Mọi mục",
        error_messages={"invalid_choice": "Mục này không thuộc kế hoạch."},
    )
    department = django_filters.ChoiceFilter(
        label="Đơn vị chủ trì",
        field_name="lead_department_id",
        empty_label="Tất cả đơn vị",
        error_messages={"invalid_choice": "Đơn vị này không thuộc cơ quan của kế hoạch."},
    )
    status = django_filters.ChoiceFilter(
        label="Tình trạng",
        choices=[*Status.choices, *STATUS_GROUPS],
        empty_label="Mọi tình trạng",
        method="by_status",
        error_messages={"invalid_choice": "Tình trạng không hợp lệ."},
    )
    area = django_filters.ChoiceFilter(
        label="Lĩnh vực",
        field_name="area_id",
        empty_label="Mọi lĩnh vực",
        error_messages={"invalid_choice": "Lĩnh vực này không thuộc kế hoạch."},
    )
    due_within = DaysFilter(
        label="Đến hạn trong (ngày)",
        method="by_due_within",
        min_value=0,
        max_value=366,
        widget=forms.NumberInput(attrs={"placeholder": "ví dụ 30"}),
        error_messages={
            "invalid": "Nhập số ngày, ví dụ 30.",
            "min_value": "Số ngày không được âm.",
            "max_value": "Nhập tối đa 366 ngày.",
        },
    )
    as_of = VietnameseDateFilter(label="Tình trạng tại ngày", method="on_date")

    layout = {
        "q": "col-12 col-lg-3",
        "department": "col-6 col-sm-6 col-lg-2",
        "status": "col-6 col-sm-6 col-lg-3",
        "area": "col-12 col-sm-6 col-lg-4",
        "due_within": "col-6 col-sm-6 col-lg-2",
        "as_of": "col-6 col-sm-6 col-lg-2",
    }
    # A plan whose annex has sections is filtered by them first (the section filter is shown only then).
    sectioned_layout = {
        "q": "col-12 col-lg-4",
        "section": "col-12 col-sm-6 col-lg-4",
        "area": "col-12 col-sm-6 col-lg-4",
        "department": "col-6 col-lg-3",
        "status": "col-6 col-lg-3",
        "due_within": "col-6 col-lg-3",
        "as_of": "col-6 col-lg-3",
    }

    def __init__(self, data, *, queryset, departments, areas, sections=()):
        """`sections`: the plan's, in their written order (plans.reference.plan_sections)."""
        super().__init__(data, queryset=queryset)
        self.sections = list(sections)
        self.filters["department"].extra["choices"] = [(str(item.pk), item.name) for item in departments]
        self.filters["area"].extra["choices"] = [(str(item.pk), _area_label(item)) for item in areas]
        self.filters["section"].extra["choices"] = [
            (str(item.pk), section_choice_label(item)) for item in self.sections
        ]
        if self.sections:
            self.layout = self.sectioned_layout

    @property
    def status_date(self) -> datetime.date:
        """The date the statuses are those of: the one asked for when valid, else today."""
        self.errors  # noqa: B018 – validates the form, so that cleaned_data exists
        return self.form.cleaned_data.get("as_of") or timezone.localdate()

    def filter_queryset(self, queryset):
        return super().filter_queryset(listed(queryset, self.status_date))

    def search(self, queryset, name, value):
        """Every word must occur in Task.search_text, ignoring case and diacritics."""
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def in_section(self, queryset, name, value):
        """The tasks of the section and of every section inside it."""
        inside = {int(value)}
        for item in self.sections:  # in their written order: a parent before the sections inside it
            if item.parent_id in inside:
                inside.add(item.pk)
        return queryset.filter(section_id__in=inside)

    def by_status(self, queryset, name, value):
        return of_status(queryset, value, self.status_date)

    def by_due_within(self, queryset, name, value):
        return due_within(queryset, value, self.status_date)

    def on_date(self, queryset, name, value):
        return queryset  # the date applies to every status above (filter_queryset)


# "Việc của tôi": the counts at the top are links to these views of the user's open tasks.
OVERDUE, DUE_SOON, IN_PROGRESS, PENDING, DONE, ALL = (
    "overdue",
    "due_soon",
    "in_progress",
    "pending",
    "done",
    "all",
)
WATCH = "watch"  # the agency-wide default of leaders and clerks: what needs attention


class MyTaskFilter(ListFilter):
    """Which of the user's tasks "Việc của tôi" lists: the open ones by default (for leaders and clerks,
    those needing attention), or one of the views its counts stand for."""

    view = django_filters.ChoiceFilter(
        method="in_view",
        error_messages={"invalid_choice": "Không có mục xem này; đang hiện danh sách mặc định."},
    )

    def __init__(self, data, *, queryset, mode: str, user, today: datetime.date):
        super().__init__(data, queryset=queryset)
        self.mode, self.today = mode, today
        soon = periods.due_soon_until(today)
        is_open = Q(status__in=OPEN)
        self.views = {
            OVERDUE: Q(status=Status.OPEN_OVERDUE),
            DUE_SOON: Q(status__in=(Status.OPEN_ON_TIME, Status.NOT_STARTED), next_on__lte=soon),
            IN_PROGRESS: Q(state=Task.State.IN_PROGRESS),
            PENDING: Q(state=Task.State.PENDING),
            DONE: Q(status__in=COMPLETED, done_on__year=today.year),
            ALL: is_open,
        }
        if mode == "agency":
            self.views[WATCH] = is_open & (
                Q(status=Status.OPEN_OVERDUE) | Q(next_on__lte=soon) | Q(assigned_to(user))
            )
        self.labels = {
            OVERDUE: "Quá hạn",
            DUE_SOON: f"Đến hạn trong {settings.DUE_SOON_DAYS} ngày",
            IN_PROGRESS: "Đang thực hiện",
            PENDING: "Chờ duyệt",
            DONE: f"Đã hoàn thành năm {today.year}",
            ALL: "Tất cả nhiệm vụ đang mở",
        }
        self.filters["view"].extra["choices"] = list(self.labels.items())

    @property
    def chosen(self) -> str:
        """The view asked for, when valid; "" for the default."""
        self.errors  # noqa: B018 – validates the form, so that cleaned_data exists
        return self.form.cleaned_data.get("view") or ""

    @property
    def shown(self) -> str:
        """The view listed: the one asked for, or the default of the user's scope."""
        return self.chosen or (WATCH if self.mode == "agency" else ALL)

    def filter_queryset(self, queryset):
        tasks = queryset.filter(self.views[self.shown])
        return tasks.order_by("-done_on", "-pk") if self.shown == DONE else urgency_order(tasks)

    def in_view(self, queryset, name, value):
        return queryset  # applied with the default by filter_queryset

    def counts(self, **more: Q) -> dict[str, int]:
        """How many tasks each view lists, and those meeting each of the conditions `more`, in one query."""
        conditions = {**self.views, **more}
        return self.queryset.aggregate(**{key: Count("pk", filter=q) for key, q in conditions.items()})


UNASSIGNED = "none"


class DepartmentTaskFilter(ListFilter):
    """The department's open tasks, by who is assigned to them."""

    assignee = django_filters.ChoiceFilter(
        label="Người thực hiện",
        empty_label="Mọi người",
        method="by_assignee",
        error_messages={"invalid_choice": "Người này không thuộc phòng."},
    )

    layout = {"assignee": "col-12 col-sm-6 col-lg-4"}

    def __init__(self, data, *, queryset, people):
        super().__init__(data, queryset=queryset)
        choices = [(UNASSIGNED, "Chưa phân công"), *((str(person.pk), person.full_name) for person in people)]
        self.filters["assignee"].extra["choices"] = choices

    def by_assignee(self, queryset, name, value):
        links = Task.assignees.through.objects.filter(task_id=OuterRef("pk"))
        if value == UNASSIGNED:
            return queryset.exclude(Exists(links))
        return queryset.filter(Exists(links.filter(user_id=value)))
