"""The page links under a list, written in Python (an included template cost as much as ten rows)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def pagination(context, anchor: str = ""):
    """« Trước, the page numbers (elided around the current one) and Sau » for the page `page`; the
    links keep the list's other parameters (`kept_query`)."""
    page = context.get("page")
    if page is None or page.paginator.num_pages <= 1:
        return ""
    kept = context.get("kept_query") or ""
    prefix = escape(f"?{kept}&" if kept else "?", quote=True)
    suffix = escape(anchor, quote=True)

    def link(number, text, current=False):
        state = " active" if current else ""
        aria = ' aria-current="page"' if current else ""
        return (
            f'<li class="page-item{state}"><a class="page-link" href="{prefix}trang={number}{suffix}"{aria}>'
            f"{text}</a></li>"
        )

    items = []
    if page.has_previous():
        items.append(link(page.previous_page_number(), "« Trước"))
    numbers = context.get("page_numbers") or page.paginator.get_elided_page_range(
        page.number, on_each_side=2, on_ends=1
    )
    for number in numbers:
        if number == page.paginator.ELLIPSIS:
            items.append('<li class="page-item disabled"><span class="page-link">…</span></li>')
        else:
            items.append(link(number, number, current=number == page.number))
    if page.has_next():
        items.append(link(page.next_page_number(), "Sau »"))
    return mark_safe(  # noqa: S308 – every value above is escaped or a number
        '<nav aria-label="Chuyển trang" class="no-print"><ul class="pagination pagination-sm flex-wrap">'
        f"{''.join(items)}</ul></nav>"
    )
