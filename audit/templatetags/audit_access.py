"""The change log's right for templates: the predicate of audit.access, so that the menu offers the
log exactly to those the page lets in."""

from django import template

from audit import access

register = template.Library()


@register.filter
def can_read_audit_log(user) -> bool:
    """{% if user|can_read_audit_log %}: the agency's change log ("Nhật ký thay đổi")."""
    return access.can_read_audit_log(user)
