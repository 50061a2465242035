from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from cchc.forms import attach_errors
from notifications.access import (
    can_manage_notifications,
    get_agency_member,
    get_managed_agency,
    get_own_notification,
)
from notifications.forms import AgencySettingsForm, LogFilter, PreferenceForm
from notifications.models import Notification
from notifications.preferences import (
    address_problem_clear,
    address_problems,
    agency_digest_time,
    agency_settings_of,
    agency_settings_update,
    preference_of,
    preference_update,
)
from notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 20


@login_required
@require_safe
def notification_list(request):
    """The user's notices, newest first; `unread` shows only the unread ones, `kind` one kind."""
    unread_only = request.GET.get("unread") == "1"
    kind = request.GET.get("kind", "")
    if kind not in Notification.Kind.values:
        kind = ""
    notices = request.user.notifications.select_related("task")
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    if kind:
        notices = notices.filter(kind=kind)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = QueryDict(mutable=True)
    if unread_only:
        kept["unread"] = "1"
    if kind:
        kept["kind"] = kind
    return render(
        request,
        "notifications/list.html",
        {
            **_page_context(page),
            "kept_query": kept.urlencode(),
            "unread_only": unread_only,
            "kind": kind,
            "kinds": Notification.Kind.choices,
            "can_manage_notifications": can_manage_notifications(request.user),
        },
    )


@login_required
@require_safe
def notification_open(request, pk):
    """Opening a notice reads it and goes to its task (to the list when it has none)."""
    notice = get_own_notification(request, pk)
    notification_mark_read(notification=notice, by=request.user)
    if notice.task_id is None:
        return redirect("notifications:list")
    return redirect("tasks:detail", notice.task_id)


@login_required
@require_POST
def notification_read(request, pk):
    notice = get_own_notification(request, pk)
    notification_mark_read(notification=notice, by=request.user)
    return redirect(_back(request))


@login_required
@require_POST
def notifications_read_all(request):
    marked = notifications_mark_all_read(by=request.user)
    if marked:
        messages.success(request, f"Đã đánh dấu {marked} thông báo là đã đọc.")
    return redirect(_back(request))


def _back(request) -> str:
    """Back to the list as it was shown: its filters and page come with the form (`shown`)."""
    shown = QueryDict(request.POST.get("shown", ""))
    kept = QueryDict(mutable=True)
    for name in ("unread", "kind", "page"):
        if shown.get(name):
            kept[name] = shown[name]
    url = reverse("notifications:list")
    return f"{url}?{kept.urlencode()}" if kept else url


def _page_context(page) -> dict:
    return {
        "page": page,
        "page_numbers": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
    }


# Settings -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_preferences(request):
    """What the person is told and how: by mail or not, at which hour, each kind of notice."""
    user = request.user
    preference = preference_of(user)
    agency_time = agency_digest_time(user.agency_id)
    form = PreferenceForm(
        request.POST if request.method == "POST" else None, preference=preference, agency_time=agency_time
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                preference_update(user=user, **form.choices())
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, "Đã lưu cách nhận thông báo.")
                return redirect("notifications:preferences")
        messages.error(request, "Chưa lưu được: xem các lỗi được đánh dấu bên dưới.")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "preference": preference,
            "address_failing": bool(user.email) and preference.address_failing(user.email),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def agency_settings(request):
    """The agency's reminder rules and default mail hour, and the addresses whose mail fails."""
    agency = get_managed_agency(request)
    form = AgencySettingsForm(
        request.POST if request.method == "POST" else None, instance=agency_settings_of(agency)
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                agency_settings_update(agency=agency, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, "Đã lưu cài đặt nhắc việc của cơ quan.")
                return redirect("notifications:agency_settings")
        messages.error(request, "Chưa lưu được cài đặt: xem các lỗi được đánh dấu bên dưới.")
    return render(
        request,
        "notifications/agency_settings.html",
        {"agency": agency, "form": form, "problems": address_problems(agency)},
    )


@login_required
@require_POST
def address_retry(request, pk):
    """Forget the problem of a person's address: their next mail is tried again."""
    person = get_agency_member(request, pk)
    if address_problem_clear(user=person, by=request.user):
        messages.success(request, f"Thư của {person} sẽ được thử gửi lại đến {person.email} từ lần gửi tới.")
    else:
        messages.info(request, f"Địa chỉ thư của {person} không còn ghi nhận lỗi.")
    return redirect("notifications:agency_settings")


@login_required
@require_safe
def notification_log(request):
    """The sent log of the agency's people ("was I told?"): every notice, newest first, with whether
    it was read and the mail that carried it; filtered by person, task, day and kind."""
    agency = get_managed_agency(request)
    people = list(User.objects.filter(agency=agency).order_by("full_name", "username"))
    notices = Notification.objects.filter(recipient__agency=agency).select_related(
        "recipient", "task", "mail"
    )
    filters = LogFilter(request.GET, queryset=notices, people=people)
    page = Paginator(filters.qs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "notifications/log.html",
        {"agency": agency, "filters": filters, "kept_query": kept.urlencode(), **_page_context(page)},
    )
