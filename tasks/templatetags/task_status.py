"""Status labels with colour and icon (never colour alone)."""

from django import template
from django.utils.html import format_html

from tasks.status import STYLE, Status

register = template.Library()


@register.simple_tag
def status_badge(code):
    """A badge for a tasks.status.Status code: icon + words, colour as a third cue."""
    try:
        status = Status(code)
    except ValueError:
        return ""
    colour, icon = STYLE[status]
    return format_html(
        '<span class="badge task-status text-bg-{} status-{}"><i class="bi {}" aria-hidden="true"></i> {}</span>',
        colour,
        status.value,
        icon,
        status.label,
    )


@register.filter
def status_label(code):
    try:
        return Status(code).label
    except ValueError:
        return ""
