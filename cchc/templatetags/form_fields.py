"""Form fields in Bootstrap 5 markup, written in Python (label, widget, help text, errors).

crispy-forms lays out the long forms; the forms that sit on busy pages (the task page's report,
contribution and direction forms, the task table's filters and bulk action) use these tags, which
cost a fraction of crispy's template tree or of a template loop over the fields."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _css(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


@register.simple_tag
def bs_field(bound_field):
    widget = bound_field.field.widget
    classes = [_css(widget)]
    if bound_field.errors:
        classes.append("is-invalid")
    attrs = {"class": " ".join(classes)}
    if bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_helptext"
    control = bound_field.as_widget(attrs=attrs)
    required = mark_safe('<span class="asteriskField">*</span>') if bound_field.field.required else ""  # noqa: S308
    errors = format_html_join(
        "",
        '<div class="invalid-feedback d-block"><strong>{}</strong></div>',
        ((error,) for error in bound_field.errors),
    )
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', bound_field.auto_id, bound_field.help_text
        )
        if bound_field.help_text
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}{}</label>{}{}{}</div>',
        bound_field.auto_id,
        bound_field.id_for_label,
        bound_field.label,
        required,
        control,
        errors,
        help_text,
    )


@register.simple_tag
def compact_fields(form, widths: str, default: str = "col-6 col-sm-6 col-lg-2"):
    """The visible fields of a filter-like form, each a grid column with a small label above its
    widget and its errors below. `widths`: "name=classes;name=classes" for the columns that differ."""
    columns = dict(item.split("=", 1) for item in widths.split(";") if item)
    cells = []
    for bound_field in form.visible_fields():
        errors = "".join(
            format_html('<div class="small text-danger">{}</div>', error) for error in bound_field.errors
        )
        cells.append(
            format_html(
                '<div class="{}"><label class="form-label small mb-1" for="{}">{}</label>{}{}</div>',
                columns.get(bound_field.name, default),
                bound_field.id_for_label,
                bound_field.label,
                bound_field.as_widget(),
                mark_safe(errors),  # noqa: S308 – built with format_html above
            )
        )
    return mark_safe("".join(cells))  # noqa: S308 – built with format_html above
