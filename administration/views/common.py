from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.models import AccountEvent
from administration.forms import ReasonForm


def form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def recent_events(**subject):
    return AccountEvent.objects.filter(**subject).select_related("actor")[:20]


def link_page(request, *, user, url: str, new_account: bool, back: str):
    """The page that shows a set-password link, once: it is not kept anywhere to be shown again."""
    response = render(
        request,
        "administration/user_link.html",
        {
            "subject": user,
            "url": url,
            "new_account": new_account,
            "back": back,
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def state_change(request, change, *, done: str, back: str):
    """Deactivate or reactivate something: `change(reason)` calls the service with the reason the form
    gave; its refusal or `done` is told as a message on the page `back` leads to."""
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        change(reason)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect(back)
