"""What a status badge shows (templates/tasks/_status_badge.html): its words, colour and icon, so
that the status never rests on colour alone."""

from django import template

from tasks.status import STYLE, Status

register = template.Library()


def _status(code) -> Status | None:
    try:
        return Status(code)
    except ValueError:
        return None


@register.filter
def status_label(code) -> str:
    status = _status(code)
    return status.label if status else ""


@register.filter
def status_colour(code) -> str:
    """The Bootstrap colour of a tasks.status.Status code ("danger", "success", …)."""
    status = _status(code)
    return STYLE[status][0] if status else ""


@register.filter
def status_icon(code) -> str:
    """The Bootstrap icon of a tasks.status.Status code ("bi-check-circle-fill", …)."""
    status = _status(code)
    return STYLE[status][1] if status else ""
