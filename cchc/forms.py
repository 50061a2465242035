"""Form helpers every app's views share."""

from django.core.exceptions import ValidationError


def attach_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: each message beside its field, the rest above the form,
    so the user's input stays in place."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
