"""How much text a person may type or import: enough for the documents people really write, bounded so
that one entry cannot make a page of megabytes for every reader, or a report nobody can print.

Every form with free text mixes in BoundedTextForm: a text field the model or the form leaves unbounded
gets a maximum here (a textarea LONG_TEXT_MAX, a one-line input LINE_TEXT_MAX), and every maximum is
refused with the same Vietnamese message, on the re-rendered form that keeps what the user typed. A
textarea gets no HTML maxlength: a browser would cut a long paste silently, where the message says what
to shorten. The annex import checks its cells against the same maxima (tasks.importing.batch).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from cchc.formatting import vn_number

# A narrative, a result, a section of a plan or report: about six printed pages.
LONG_TEXT_MAX = 20_000
# A one-line field the model leaves unbounded (a deadline phrase, a list of names).
LINE_TEXT_MAX = 1_000

TOO_LONG = "Nội dung dài %(length)s ký tự, vượt mức tối đa %(limit)s ký tự. Hãy rút gọn rồi lưu lại."


def too_long_message(limit: int, length: int) -> str:
    return TOO_LONG % {"limit": vn_number(limit), "length": vn_number(length)}


class TextLengthValidator(MaxLengthValidator):
    """Django's maximum with the Vietnamese message; keeps Django's params for a form's own message."""

    def __call__(self, value):
        if not isinstance(value, str):
            return  # a CharField subclass that cleans to a number (a score, a percent): no text to bound
        length = len(value)
        if length > self.limit_value:
            raise ValidationError(
                TOO_LONG,
                code="max_length",
                params={
                    "limit": vn_number(self.limit_value),
                    "length": vn_number(length),
                    "limit_value": self.limit_value,
                    "show_value": length,
                    "value": value,
                },
            )


def _is_long(field: forms.CharField) -> bool:
    return isinstance(field.widget, forms.Textarea | forms.HiddenInput)


def bound_text_fields(fields) -> None:
    """Give every text field of a form a maximum and the Vietnamese refusal (idempotent)."""
    for field in fields.values():
        if not isinstance(field, forms.CharField) or getattr(field, "_bounded", False):
            continue
        if field.max_length is None:
            field.max_length = LONG_TEXT_MAX if _is_long(field) else LINE_TEXT_MAX
            if not _is_long(field):
                field.widget.attrs.setdefault("maxlength", str(field.max_length))
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(TextLengthValidator(field.max_length))
        field._bounded = True


class BoundedTextForm:
    """Mixed in before forms.Form / forms.ModelForm: its text fields, those a subclass adds in its own
    __init__ included, are bounded by bound_text_fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_text_fields(self.fields)

    def full_clean(self):
        bound_text_fields(self.fields)  # the fields added after __init__ (a report's area texts)
        super().full_clean()
