"""The mail with a set-password link that an administrator issues (a new account or a reset)."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from accounts.models import User

logger = logging.getLogger(__name__)


def send_set_password(*, user: User, url: str, new_account: bool) -> bool:
    """Send the link to the user's address; the administrator has it on screen whatever happens, so a
    failure is logged, not raised. Returns whether the mail server took it."""
    context = {
        "user": user,
        "url": url,
        "new_account": new_account,
        "valid_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("registration/set_password-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject,
        render_to_string("registration/set_password-body.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("registration/set_password-body.html", context), "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("The set-password mail to user %s was not sent", user.pk)
        return False
    return True
