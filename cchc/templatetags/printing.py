"""The buttons that print a plan or a report, written in Python (they sit on busy pages)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def print_buttons(url_name: str, pk: int, issued: bool):
    """PDF (opened in a new tab), Word and the annex in Excel of the plan or report `pk`; a draft's
    PDF button says that it prints the draft."""
    pdf = reverse(url_name, args=[pk, "pdf"])
    base = pdf[: -len("pdf/")]
    return format_html(
        '<div class="btn-group btn-group-sm no-print" role="group" aria-label="In văn bản theo thể thức Nghị định 30/2020">'
        '<a class="btn btn-outline-dark" href="{}" target="_blank" rel="noopener"><i class="bi bi-file-earmark-pdf" aria-hidden="true"></i> {}</a>'
        '<a class="btn btn-outline-dark" href="{}docx/"><i class="bi bi-file-earmark-word" aria-hidden="true"></i> Word</a>'
        '<a class="btn btn-outline-dark" href="{}xlsx/"><i class="bi bi-file-earmark-excel" aria-hidden="true"></i> Phụ lục Excel</a>'
        "</div>",
        pdf,
        "In PDF" if issued else "In dự thảo (PDF)",
        base,
        base,
    )
