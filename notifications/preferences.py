"""How people and agencies choose what they are told: a person's Preference (which kinds of notice,
by mail or not, at which hour), an agency's AgencySettings (its reminder rules and default hour), and
the address problems the mail delivery records (notifications.mailing), cleared by the agency's
administrator to have a failing address tried again."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Agency, User
from notifications.models import DEFAULT_DIGEST_TIME, AgencySettings, Notification, Preference

KINDS = Notification.Kind.values


def preference_of(user: User) -> Preference:
    """The person's preference, or (unsaved) the defaults of someone who has never chosen."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


def agency_settings_of(agency: Agency) -> AgencySettings:
    """The agency's settings, or (unsaved) the defaults of an agency whose administrator never set them."""
    return AgencySettings.objects.filter(agency=agency).first() or AgencySettings(agency=agency)


def agency_digest_time(agency_id: int | None) -> datetime.time:
    """The hour the agency's people get their digest unless they chose another."""
    if agency_id is None:
        return DEFAULT_DIGEST_TIME
    chosen = AgencySettings.objects.filter(agency_id=agency_id).values_list("digest_time", flat=True).first()
    return chosen or DEFAULT_DIGEST_TIME


def _kinds(values: Iterable[str], field: str) -> list[str]:
    """The kinds named, each once and in the order of Notification.Kind; a name that is no kind is
    refused."""
    chosen = set(values)
    unknown = sorted(chosen - set(KINDS))
    if unknown:
        raise ValidationError({field: f"Không có loại thông báo “{', '.join(unknown)}”."})
    return [kind for kind in KINDS if kind in chosen]


@transaction.atomic
def preference_update(
    *,
    user: User,
    mail_enabled: bool,
    digest_time: datetime.time | None,
    muted: Iterable[str],
    not_mailed: Iterable[str],
) -> Preference:
    """Save what `user` wants to be told and how (the row is written on the first save): the kinds
    `muted` are not told at all, those `not_mailed` only in the app; `digest_time` None is the agency's
    hour. The recorded address problem is kept."""
    muted, not_mailed = _kinds(muted, "muted"), _kinds(not_mailed, "not_mailed")
    preference = Preference.objects.select_for_update().filter(user=user).first() or Preference(user=user)
    preference.mail_enabled = mail_enabled
    preference.digest_time = digest_time
    preference.muted = muted
    preference.not_mailed = not_mailed
    preference.full_clean()
    if preference.pk is None:
        preference.save()
    else:
        preference.save(update_fields=["mail_enabled", "digest_time", "muted", "not_mailed"])
    return preference


AGENCY_FIELDS = ("upcoming", "repeat_every", "escalate_head", "escalate_leaders", "update_due", "digest_time")


@transaction.atomic
def agency_settings_update(*, agency: Agency, by: User, **fields) -> AgencySettings:
    """Save the agency's reminder rules and default mail hour (AGENCY_FIELDS; the row is written on
    the first save), validated by AgencySettings.clean. The next reminder scan and digest use them."""
    if by.agency_id != agency.pk:
        raise ValidationError("Chỉ đổi được cài đặt của cơ quan mình.")
    unknown = set(fields) - set(AGENCY_FIELDS)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    chosen = AgencySettings.objects.select_for_update().filter(agency=agency).first() or AgencySettings(
        agency=agency
    )
    for name, value in fields.items():
        setattr(chosen, name, value)
    chosen.full_clean()
    if chosen.pk is None:
        chosen.save()
    else:
        chosen.save(update_fields=list(fields))
    return chosen


def address_problems(agency: Agency) -> list[Preference]:
    """The preferences of the agency's people whose mail is held back by a problem recorded for the
    address they still have (Preference.address_failing), the latest first, each with its user."""
    recorded = (
        Preference.objects.filter(user__agency=agency)
        .exclude(address_problem="")
        .select_related("user")
        .order_by("-address_problem_at", "pk")
    )
    return [
        preference
        for preference in recorded
        if preference.user.email and preference.address_failing(preference.user.email)
    ]


@transaction.atomic
def address_problem_clear(*, user: User, by: User) -> bool:
    """Forget the problem recorded for `user`'s address, so that their next mail is tried again; only
    for a person of `by`'s agency. True when there was one."""
    if by.agency_id is None or user.agency_id != by.agency_id:
        raise ValidationError("Chỉ thử gửi lại được cho người của cơ quan mình.")
    cleared = (
        Preference.objects.filter(user=user)
        .exclude(address_problem="")
        .update(address_problem="", address_problem_at=None, problem_address="")
    )
    return bool(cleared)
