"""Who may see what in counselling, one condition per line.

Sealed notes (Session.notes, CrisisFlag.clearing_note, Booking.note): only the counsellor of
that session and the counselling supervisors (心理咨询督导). Superusers are NOT let in by being
superusers: a superuser reads a note only if they are also that counsellor or a supervisor
(DESIGN.md: "no other staff group, superuser aside"; the federation decided that the
technical administrator must not read counselling records).
"""

from django.http import Http404

from apps.accounts.roles import COUNSELLING_SUPERVISOR, user_in_group

from .models import Booking


def is_supervisor(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_staff
                and user_in_group(user, COUNSELLING_SUPERVISOR))


def counsellor_of(user):
    """The Counsellor profile of a staff login, or None."""
    if not (user and user.is_authenticated):
        return None
    cached = getattr(user, "_counsellor_profile", False)
    if cached is False:
        from .models import Counsellor

        cached = Counsellor.objects.filter(user=user).first()
        user._counsellor_profile = cached
    return cached


def notes_readable(user, session) -> bool:
    """Whether `user` may read (and write) the sealed notes of `session`."""
    if not (user and user.is_authenticated and user.is_active and user.is_staff):
        return False
    if is_supervisor(user):
        return True
    mine = counsellor_of(user)
    return mine is not None and session.counsellor_id == mine.pk


def request_text_readable(user) -> bool:
    """The crisis clearing notes: supervisors only."""
    return is_supervisor(user)


def booking_for_member(member, pk) -> Booking:
    """One of the member's own bookings (404 for anybody else's)."""
    booking = Booking.objects.select_related("slot__studio", "slot__counsellor").filter(pk=pk, member=member).first()
    if booking is None:
        raise Http404
    return booking


def bookings_for_member(member):
    return Booking.objects.filter(member=member).select_related("slot__studio", "slot__counsellor").order_by(
        "-slot__starts_at"
    )
