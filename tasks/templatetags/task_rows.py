"""The rows of the task tables, written in Python.

A list shows up to 50 tasks of some 70 template nodes each; rendered by the template engine that was
most of the page's time (the issue's budget is three times the smallest page). The markup is the
same one a template would give: every text goes through escape(), attributes through format_html.
"""

from html import escape as _escape

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cchc.formatting import roman
from tasks.templatetags.task_status import status_badge

register = template.Library()

NO_VALUE = '<span class="text-secondary">—</span>'


def escape(value) -> str:
    """HTML-escaped text, quotes included (the standard library's, without Django's lazy wrappers)."""
    return _escape(str(value), quote=True)


def truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _detail_prefix() -> str:
    return reverse("tasks:detail", args=[0])[: -len("0/")]


def _dates(task, show_deadline_text: bool) -> str:
    parts = []
    if show_deadline_text:
        parts.append(f"<div>{escape(task.deadline_text)}</div>")
    parts.append(f'<div class="text-nowrap">{escape(task.due_label)}</div>')
    if task.done_label:
        parts.append(f'<div class="text-secondary text-nowrap">{escape(task.done_label)}</div>')
    if task.relative:
        parts.append(f'<div class="text-nowrap {task.relative_tone}">{escape(task.relative)}</div>')
    return "".join(parts)


def _markers(task) -> str:
    parts = []
    if getattr(task, "assigned_to_me", False):
        parts.append(
            '<span class="badge rounded-pill text-bg-light border"><i class="bi bi-person-check" aria-hidden="true"></i> Giao cho tôi</span>'
        )
    if task.state == "pending":
        parts.append(
            '<span class="badge rounded-pill text-bg-info"><i class="bi bi-hourglass" aria-hidden="true"></i> Chờ duyệt hoàn thành</span>'
        )
    reason = getattr(task, "last_return_reason", "")
    if reason and task.state == "in_progress":
        parts.append(
            format_html(
                '<span class="badge rounded-pill text-bg-warning" title="Lý do trả lại: {}"><i class="bi bi-arrow-return-left" aria-hidden="true"></i> Bị trả lại</span>'
                '<span class="small text-body-secondary w-100">Lý do: {}</span>',
                reason,
                truncate(reason, 160),
            )
        )
    return "".join(parts)


def _assign_cell(task, people, next_url: str, csrf_token: str) -> str:
    names = "".join(
        f"<div>{escape(person.full_name)}</div>" for person in people if person.pk in task.assignee_ids
    )
    if not task.assignee_ids:
        names = '<span class="text-secondary">Chưa phân công</span>'
    boxes = (
        "".join(
            format_html(
                '<div class="form-check"><input class="form-check-input" type="checkbox" name="assignees" value="{}" id="pc-{}-{}"{}>'
                '<label class="form-check-label" for="pc-{}-{}">{}</label></div>',
                person.pk,
                task.pk,
                person.pk,
                mark_safe(" checked") if person.pk in task.assignee_ids else "",  # noqa: S308 – a constant
                task.pk,
                person.pk,
                person.full_name,
            )
            for person in people
        )
        or '<p class="text-secondary mb-1">Phòng chưa có chuyên viên.</p>'
    )
    return format_html(
        '<td class="small">{}<details class="mt-1"><summary style="color: var(--cchc-primary)">Phân công</summary>'
        '<form method="post" action="{}" class="mt-1"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="next" value="{}">{}'
        '<button class="btn btn-sm btn-outline-primary mt-1" type="submit">Lưu phân công</button></form></details></td>',
        mark_safe(names),  # noqa: S308 – built from escaped parts above
        reverse("tasks:assign", args=[task.pk]),
        csrf_token,
        next_url,
        mark_safe(boxes),  # noqa: S308 – built with format_html above
    )


def row_html(task, *, prefix: str, opts: dict, context=None) -> str:
    cells = []
    if opts.get("selectable"):
        checked = " checked" if task.pk in opts.get("selected", ()) else ""
        cells.append(
            f'<td class="text-center"><input class="form-check-input task-pick" type="checkbox" name="tasks" value="{task.pk}" id="chon-{task.pk}"{checked}>'
            f'<label class="visually-hidden" for="chon-{task.pk}">Chọn nhiệm vụ {escape(task.number)}</label></td>'
        )
    cells.append(f'<td class="text-nowrap fw-semibold">{escape(task.number)}</td>')

    show_plan, show_lead = opts.get("show_plan"), opts.get("show_lead")
    lead_name = escape(task.lead_department.name) if show_lead else ""
    plan_line = ""
    if show_plan:
        lead_small = f'<span class="d-md-none"> · {lead_name}</span>' if show_lead else ""
        plan_line = (
            f'<div class="small text-secondary">Kế hoạch {escape(task.plan.number_symbol)}{lead_small}</div>'
        )
    phone_lead = (
        f'<div class="text-secondary">Chủ trì: {lead_name}</div>' if show_lead and not show_plan else ""
    )
    badge = _badge(task.status)
    dates = _dates(task, opts.get("show_deadline_text"))
    cells.append(
        f'<td class="task-content"><a href="{prefix}{task.pk}/">{escape(truncate(task.content, 220))}</a>{plan_line}'
        f'<div class="d-flex flex-wrap gap-1 mt-1">{_markers(task)}</div>'
        f'<div class="d-sm-none small mt-1">{phone_lead}{dates}'
        f'<div class="mt-1">{badge} <span class="text-secondary">· {task.percent_shown}%</span></div></div></td>'
    )
    if show_lead:
        visibility = "d-none d-md-table-cell" if show_plan else "d-none d-sm-table-cell"
        cells.append(f'<td class="{visibility}">{lead_name}</td>')
    if opts.get("show_coordinating"):
        coordinating = getattr(task, "coordinating", None)
        if coordinating is None:
            coordinating = task.coordinating_departments.all()
        names = "; ".join(escape(department.name) for department in coordinating)
        cells.append(f'<td class="small d-none d-md-table-cell">{names or NO_VALUE}</td>')
    if opts.get("show_assign"):
        cells.append(
            _assign_cell(
                task,
                opts.get("people", ()),
                context["request"].get_full_path(),
                str(context.get("csrf_token", "")),
            )
        )
    cells.append(f'<td class="small d-none d-sm-table-cell">{dates}</td>')
    done = " bg-success" if task.is_done else ""
    cells.append(
        f'<td class="d-none d-md-table-cell" style="min-width: 6rem"><div class="progress" role="progressbar" '
        f'aria-label="Tiến độ nhiệm vụ {escape(task.number)}" aria-valuenow="{task.percent_shown}" aria-valuemin="0" '
        f'aria-valuemax="100" style="height: .5rem"><div class="progress-bar{done}" style="width: {task.percent_shown}%"></div></div>'
        f'<span class="small">{task.percent_shown}%</span></td>'
    )
    cells.append(f'<td class="d-none d-sm-table-cell">{badge}</td>')
    overdue = ' class="task-overdue"' if task.is_overdue else ""
    return f'<tr data-task="{task.pk}"{overdue}>{"".join(cells)}</tr>'


_BADGES: dict[str, str] = {}


def _badge(status: str) -> str:
    if status not in _BADGES:
        _BADGES[status] = str(status_badge(status))
    return _BADGES[status]


def rows_html(tasks, *, group_by_area=False, continued=False, context=None, **opts) -> str:
    """All rows of a task table; with group_by_area, a heading row before each reform area
    (`continued`: the first area began on an earlier page)."""
    prefix = _detail_prefix()
    columns = 5 + sum(
        bool(opts.get(name)) for name in ("selectable", "show_lead", "show_coordinating", "show_assign")
    )
    html, area_id = [], None
    for index, task in enumerate(tasks):
        if group_by_area and task.area_id != area_id:
            area_id = task.area_id
            more = ' <span class="fw-normal small">(tiếp)</span>' if index == 0 and continued else ""
            html.append(
                f'<tr class="area-row table-secondary"><th scope="colgroup" colspan="{columns}">'
                f"{roman(task.area.position + 1)}. {escape(task.area.name)}{more}</th></tr>"
            )
        html.append(row_html(task, prefix=prefix, opts=opts, context=context))
    return mark_safe("".join(html))  # noqa: S308 – every value above is escaped


@register.simple_tag(takes_context=True)
def task_rows(context, tasks, group_by_area=False, continued=False, **opts):
    return rows_html(tasks, group_by_area=group_by_area, continued=continued, context=context, **opts)
