"""The administration rights for templates: the very predicates the views check (accounts.access)."""

from django import template

from accounts import access

register = template.Library()


@register.filter
def administers_agency(user) -> bool:
    return access.administers_agency(user)


@register.filter
def administers_province(user) -> bool:
    return access.administers_province(user)
