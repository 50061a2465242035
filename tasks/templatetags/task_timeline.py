"""The task's timeline, written in Python (30 entries of some 20 template nodes each were most of the
task page's time). The markup is what the template gave; every text goes through escape()."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from cchc.formatting import vn_number
from tasks.templatetags.task_rows import escape, truncate

register = template.Library()

REVIEW_BADGES = {
    "pending": '<span class="badge text-bg-info">Chờ duyệt</span>',
    "approved": '<span class="badge text-bg-success"><i class="bi bi-check2" aria-hidden="true"></i> Đã duyệt</span>',
}


def _changes(changes) -> str:
    items = []
    for change in changes:
        old = f"<del>{escape(truncate(change['old'], 100))}</del> → " if change.get("old") else ""
        new = escape(truncate(change.get("new") or "(trống)", 100))
        items.append(f"<li>{escape(change['field'])}: {old}{new}</li>")
    return f'<ul class="small mb-0">{"".join(items)}</ul>' if items else ""


def file_size(size: int) -> str:
    """'850 byte', '2,0 KB', '1,5 MB' with the Vietnamese decimal comma."""
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{vn_number(size / 1024, 1)} KB"
    return f"{vn_number(size / 1024 / 1024, 1)} MB"


def _files(files, prefix: str) -> str:
    if not files:
        return ""
    items = "".join(
        f'<li class="list-inline-item"><a href="{prefix}{item.pk}/"><i class="bi bi-paperclip" aria-hidden="true"></i> '
        f'{escape(item.original_name)}</a> <span class="text-secondary">({file_size(item.size)})</span></li>'
        for item in files
    )
    return f'<ul class="list-inline small mb-0 mt-1">{items}</ul>'


def entry_html(entry, prefix: str) -> str:
    at = timezone.localtime(entry.at)
    review = f" review-{entry.review}" if entry.review else ""
    parts = [
        f'<li class="timeline-item timeline-{entry.kind}{review}">',
        '<div class="d-flex flex-wrap justify-content-between gap-2">',
        f"<strong>{escape(entry.title)}</strong>",
        f'<span class="small text-secondary"><time datetime="{at.isoformat()}">{at:%H:%M %d/%m/%Y}</time> · {escape(entry.actor)}</span>',
        "</div>",
    ]
    if entry.body:
        parts.append(f'<div class="text-prewrap">{escape(entry.body)}</div>')
    if entry.result:
        parts.append(f'<div class="text-prewrap"><em>Kết quả:</em> {escape(entry.result)}</div>')
    if entry.kind == "report":
        if entry.review == "returned":
            parts.append(
                '<div class="alert alert-warning py-1 px-2 mb-0 mt-1 small"><i class="bi bi-arrow-return-left" aria-hidden="true"></i> '
                f"Bị trả lại: {escape(entry.reason)}</div>"
            )
        else:
            parts.append(REVIEW_BADGES.get(entry.review, ""))
    elif entry.reason:
        parts.append(f'<div class="small"><em>Lý do:</em> {escape(entry.reason)}</div>')
    parts.append(_changes(entry.changes))
    parts.append(_files(entry.evidence, prefix))
    parts.append("</li>")
    return "".join(parts)


@register.simple_tag
def timeline(entries):
    if not entries:
        return mark_safe('<li class="text-secondary">Chưa có diễn biến nào.</li>')
    prefix = reverse("tasks:evidence", args=[0])[: -len("0/")]
    return mark_safe("".join(entry_html(entry, prefix) for entry in entries))  # noqa: S308 – escaped above
