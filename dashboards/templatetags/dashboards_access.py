"""The dashboards' rights for templates: the predicates of dashboards.access, so that a link is shown
exactly to those the page lets in."""

from django import template

from dashboards import access

register = template.Library()


@register.filter
def can_view_dashboard(user, plan) -> bool:
    """{% if user|can_view_dashboard:plan %}: the plan's dashboard (or the department's part of it)."""
    return access.can_view_dashboard(user, plan)


@register.filter
def sees_dashboards(user) -> bool:
    """{% if user|sees_dashboards %}: some plan's dashboard, the top bar's "Tổng quan"."""
    return access.sees_dashboards(user)
