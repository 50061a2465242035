"""Template filters for the NĐ 30 text rules (cchc.formatting)."""

from django import template

from cchc import formatting

register = template.Library()


@register.filter
def long_date(value):
    return formatting.long_date(value) if value else ""


@register.filter
def date_line(plan):
    return formatting.date_line(plan.place_name, plan.issued_on)


@register.filter
def vn_number(value, decimals=0):
    return formatting.vn_number(value, int(decimals)) if value is not None else ""


@register.filter
def roman(value):
    return formatting.roman(int(value))
