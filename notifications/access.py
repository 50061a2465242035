"""Whose notices a user reaches: their own only (another person's notice is a 404, never a 403)."""

from django.shortcuts import get_object_or_404

from notifications.models import Notification


def get_own_notification(request, pk) -> Notification:
    return get_object_or_404(Notification, pk=pk, recipient=request.user)
