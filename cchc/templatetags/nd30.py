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
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    number, text = int(value), ""
    for amount, letters in numerals:
        while number >= amount:
            text, number = text + letters, number - amount
    return text
