"""The task page and everything done from it: reports, reviews, contributions, directions,
assignment, and the clerk's changes (with a reason) to deadline, lead department and cancellation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.forms import attach_errors
from cchc.fragments import cached, render_cached
from plans import reference
from tasks import evidence as evidence_files
from tasks import services, timeline
from tasks.access import (
    can_contribute,
    can_direct,
    can_manage,
    can_reply,
    can_report,
    can_review,
    can_review_report,
    get_assignable_task,
    get_contributable_task,
    get_directable_task,
    get_manageable_plan,
    get_manageable_task,
    get_repliable_direction,
    get_reportable_task,
    get_reviewable_report,
    get_viewable_task,
)
from tasks.forms_detail import (
    AssignForm,
    ContributionForm,
    DeadlineForm,
    DirectionForm,
    DirectionReplyForm,
    LeadForm,
    ProgressForm,
    ReasonForm,
    ReturnForm,
    TaskForm,
)
from tasks.models import Direction, Evidence, ProgressUpdate, Task
from tasks.selectors import section_chain
from tasks.status import BADGES, days_overdue, status_from_columns

TIMELINE_LIMIT = 30


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _timeline(task: Task, *, show_all: bool) -> str:
    """The timeline's fragment, kept in the cache under the task's revision: every report, review,
    contribution, direction and change counts one more (tasks.services), so a new entry always gives a
    new key and an unchanged task's timeline is read in no query at all. The names shown are those of
    the people when the fragment was rendered."""
    limit = None if show_all else TIMELINE_LIMIT

    def context() -> dict:
        entries, cut = timeline.build(task, limit)
        return {"entries": entries, "entries_cut": cut}

    key = f"task-timeline:{task.pk}:{task.revision}:{limit or 'all'}"
    return render_cached(key, "tasks/_timeline.html", context)


def _section_path(task: Task) -> list[str]:
    """The headings of the task's section and of those it is in, outermost first ("III. …", "III.1. …"):
    from the plan's sections as the cache keeps them (plans.reference), no query for an unchanged plan."""
    if task.section_id is None:
        return []
    sections = {section.pk: section for section in reference.plan_sections(task.plan)}
    return [section.heading for section in section_chain(sections, task.section_id)]


def _unanswered_directions(task: Task) -> list[Direction]:
    """The task's directions no one has reported on yet, oldest first, with their authors: kept in the
    cache under the task's revision, which a direction and a reply both count up (tasks.services)."""

    def build() -> list[Direction]:
        return list(
            Direction.objects.filter(task=task, replies__isnull=True)
            .select_related("author")
            .order_by("created_at", "pk")
        )

    return cached(f"task-open-directions:{task.pk}:{task.revision}", build)


def _page_context(request, task: Task, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    code = status_from_columns(task, today)
    status = {
        "status": code,
        "badge": BADGES[code],
        "due_on": task.due_date,
        "done_on": task.completed_on,
    }
    status["days_overdue"] = days_overdue(task.due_date, today)
    rights = {
        "can_report": can_report(user, task),
        "can_contribute": can_contribute(user, task),
        "can_direct": can_direct(user, task),
        "can_review": can_review(user, task),
        "can_manage": can_manage(user, task),
        "can_reply": can_reply(user, task),
    }
    context = {
        "task": task,
        "section_path": _section_path(task),
        "status": status,
        "coordinating": [name for _pk, name in task.coordinating_pairs],
        "assignees": [name for _pk, name in task.assignee_pairs],
        "timeline": _timeline(task, show_all=request.GET.get("history") == "all"),
        "today": today,
        **rights,
    }
    if (rights["can_review"] or rights["can_direct"]) and task.state == Task.State.PENDING:
        # The report waiting, offered to whoever may review it: never to its own reporter (a head's
        # own report is a leader's, tasks.access.can_review_report), who is told who reviews it.
        pending = (
            task.progress_updates.filter(review=ProgressUpdate.Review.PENDING)
            .select_related("reported_by")
            .order_by("-reported_at")
            .first()
        )
        if pending is not None:
            pending.task = task
            context["pending_report"] = pending
            context["can_review_pending"] = can_review_report(user, pending)
            context["own_pending"] = pending.reported_by_id == user.pk
    if rights["can_report"]:
        context["progress_form"] = forms.get("progress_form") or ProgressForm(task=task, today=today)
    if rights["can_reply"]:
        # The directions still waiting for a report, each with its form (the one just refused, if any).
        failed = forms.get("reply_form")
        context["open_directions"] = [
            (
                direction,
                failed
                if failed is not None and failed.prefix == reply_prefix(direction.pk)
                else DirectionReplyForm(prefix=reply_prefix(direction.pk)),
            )
            for direction in _unanswered_directions(task)
        ]
    if rights["can_contribute"]:
        context["contribution_form"] = forms.get("contribution_form") or ContributionForm()
    if rights["can_direct"]:
        context["direction_form"] = forms.get("direction_form") or DirectionForm()
    if context.get("can_review_pending"):
        context["return_form"] = forms.get("return_form") or ReturnForm()
    if rights["can_review"]:
        context["assign_form"] = forms.get("assign_form") or AssignForm(
            task=task, initial={"assignees": [pk for pk, _name in task.assignee_pairs]}
        )
    return context


@login_required
@require_safe
def task_detail(request, pk):
    task = get_viewable_task(request, pk)
    return render(request, "tasks/task_detail.html", _page_context(request, task))


def _render_after_post(request, task, *, ok_message: str | None, **forms):
    """htmx: the live part of the page, updated in place; otherwise the whole page (errors) or a redirect."""
    failed = ok_message is None
    task.refresh_from_db(fields=["revision"])  # the change just made has a timeline entry to show
    if _is_htmx(request):
        if not failed:
            messages.success(request, ok_message)
        return render(request, "tasks/_task_live.html", _page_context(request, task, **forms))
    if failed:
        return render(request, "tasks/task_detail.html", _page_context(request, task, **forms), status=200)
    messages.success(request, ok_message)
    return redirect("tasks:detail", pk=task.pk)


@login_required
@require_POST
def task_report_progress(request, pk):
    task = get_reportable_task(request, pk)
    form = ProgressForm(request.POST, request.FILES, task=task, today=timezone.localdate())
    if form.is_valid():
        try:
            report = services.progress_report(task=task, by=request.user, **form.report_fields())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            task.refresh_from_db()
            done = report.percent == 100
            message = (
                "Đã gửi báo cáo hoàn thành; chờ trưởng phòng duyệt."
                if done
                else f"Đã ghi nhận tiến độ {report.percent}%."
            )
            return _render_after_post(request, task, ok_message=message)
    return _render_after_post(request, task, ok_message=None, progress_form=form)


@login_required
@require_POST
def task_contribute(request, pk):
    task = get_contributable_task(request, pk)
    form = ContributionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.contribution_add(
                task=task, by=request.user, department=request.user.department, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return _render_after_post(request, task, ok_message="Đã gửi ý kiến phối hợp.")
    return _render_after_post(request, task, ok_message=None, contribution_form=form)


@login_required
@require_POST
def task_direct(request, pk):
    task = get_directable_task(request, pk)
    form = DirectionForm(request.POST)
    if form.is_valid():
        services.direction_add(task=task, by=request.user, text=form.cleaned_data["text"])
        return _render_after_post(request, task, ok_message="Đã ghi ý kiến chỉ đạo.")
    return _render_after_post(request, task, ok_message=None, direction_form=form)


def reply_prefix(direction_pk: int) -> str:
    """Each open direction has its own reply form on the task page."""
    return f"tra-loi-{direction_pk}"


@login_required
@require_POST
def direction_reply(request, pk):
    direction = get_repliable_direction(request, pk)
    task = direction.task
    form = DirectionReplyForm(request.POST, prefix=reply_prefix(direction.pk))
    if form.is_valid():
        try:
            services.direction_reply(direction=direction, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return _render_after_post(request, task, ok_message="Đã gửi báo cáo thực hiện ý kiến chỉ đạo.")
    return _render_after_post(request, task, ok_message=None, reply_form=form)


@login_required
@require_POST
def task_assign(request, pk):
    task = get_assignable_task(request, pk)
    form = AssignForm(request.POST, task=task)
    if form.is_valid():
        try:
            services.task_assign(task=task, by=request.user, assignees=list(form.cleaned_data["assignees"]))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "Đã cập nhật người thực hiện.")
            return redirect(_back(request, reverse("tasks:detail", args=[task.pk])))
    return _render_after_post(request, task, ok_message=None, assign_form=form)


@login_required
@require_POST
def progress_approve(request, pk):
    report = get_reviewable_report(request, pk)
    try:
        services.progress_approve(report=report, by=request.user)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã duyệt hoàn thành nhiệm vụ {report.task.number}.")
    return redirect(_back(request, reverse("tasks:detail", args=[report.task_id])))


@login_required
@require_POST
def progress_return(request, pk):
    report = get_reviewable_report(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Chưa trả lại: " + " ".join(form.errors["reason"]))
        return redirect(_back(request, reverse("tasks:detail", args=[report.task_id])))
    try:
        services.progress_return(report=report, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã trả lại báo cáo của nhiệm vụ {report.task.number}.")
    return redirect(_back(request, reverse("tasks:detail", args=[report.task_id])))


@login_required
@require_safe
def evidence_download(request, pk):
    item = Evidence.objects.filter(pk=pk).select_related("task").first()
    if item is None:
        raise Http404("Không tìm thấy tài liệu.")
    get_viewable_task(request, item.task_id)
    return evidence_files.response(request, item)


# The clerk's pages -------------------------------------------------------------------------------


def _task_fields(form: TaskForm) -> dict:
    data = dict(form.cleaned_data)
    data["coordinating_departments"] = list(data.get("coordinating_departments") or [])
    if data.get("section") is not None:  # a task in a section is of the section's reform area
        data["area"] = data["section"].effective_area
    return data


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_create(request, plan_pk):
    plan = get_manageable_plan(request, plan_pk)
    form = TaskForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(plan=plan, by=request.user, **_task_fields(form))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"Đã thêm nhiệm vụ {task.number}.")
            if "luu-them" in request.POST:
                return redirect("tasks:create", plan_pk=plan.pk)
            return redirect("tasks:detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_update(request, pk):
    task = get_manageable_task(request, pk)
    form = TaskForm(request.POST or None, instance=Task.objects.get(pk=task.pk), plan=task.plan)
    if request.method == "POST" and form.is_valid():
        fields = _task_fields(form)
        fields.pop("deadline_text"), fields.pop("lead_department")
        try:
            services.task_update(task=task, by=request.user, **fields)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, f"Đã lưu nhiệm vụ {task.number}.")
            return redirect("tasks:detail", pk=task.pk)
    return render(request, "tasks/task_form.html", {"form": form, "plan": task.plan, "task": task})


def _change_page(request, task, form, *, title, button, apply, success):
    if request.method == "POST" and form.is_valid():
        try:
            apply(form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("tasks:detail", pk=task.pk)
    return render(
        request, "tasks/task_change.html", {"task": task, "form": form, "title": title, "button": button}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_deadline(request, pk):
    task = get_manageable_task(request, pk)
    form = DeadlineForm(request.POST or None, task=task, initial={"deadline_text": task.deadline_text})
    return _change_page(
        request,
        task,
        form,
        title="Đổi thời hạn",
        button="Lưu thời hạn mới",
        apply=lambda data: services.task_change_deadline(task=task, by=request.user, **data),
        success="Đã đổi thời hạn; thời hạn cũ vẫn được lưu trong lịch sử.",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_lead(request, pk):
    task = get_manageable_task(request, pk)
    form = LeadForm(request.POST or None, task=task)
    return _change_page(
        request,
        task,
        form,
        title="Đổi đơn vị chủ trì",
        button="Lưu đơn vị chủ trì mới",
        apply=lambda data: services.task_change_lead(task=task, by=request.user, **data),
        success="Đã đổi đơn vị chủ trì.",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def task_cancel(request, pk):
    task = get_manageable_task(request, pk)
    form = ReasonForm(request.POST or None)
    return _change_page(
        request,
        task,
        form,
        title="Hủy nhiệm vụ",
        button="Hủy nhiệm vụ",
        apply=lambda data: services.task_cancel(task=task, by=request.user, **data),
        success="Đã hủy nhiệm vụ; nhiệm vụ vẫn được giữ trong kế hoạch với lý do hủy.",
    )
