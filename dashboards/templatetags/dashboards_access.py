"""The dashboards' rights for templates: the predicates of dashboards.access, so that a link is shown
exactly to those the page lets in."""

from django import template

from dashboards import access

register = template.Library()


@register.filter
def can_view_dashboard(user, plan) -> bool:
    """{% if user|can_view_dashboard:plan %}: the plan's dashboard (or the department's part of it)."""
    return access.can_view_dashboard(user, plan)
