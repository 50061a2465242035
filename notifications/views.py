from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from notifications.access import get_own_notification
from notifications.models import Notification
from notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 20


@login_required
@require_GET
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
            "page": page,
            "page_numbers": list(
                page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
            ),
            "kept_query": kept.urlencode(),
            "unread_only": unread_only,
            "kind": kind,
            "kinds": Notification.Kind.choices,
        },
    )


@login_required
@require_GET
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
