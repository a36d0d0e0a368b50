"""The booking workflow as data: who may make each move (apps.core.workflow)."""

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Move, Workflow

from .models import Booking

S = Booking.Status


def _the_member_themselves(actor, booking) -> bool:
    return booking.member.user_id is not None and booking.member.user_id == actor.pk


BOOKING_FLOW = Workflow(
    "counselling.booking",
    [
        Move(S.BOOKED, S.CANCELLED, may=lambda actor, b: _the_member_themselves(actor, b)
             or actor.has_perm("counselling.change_booking")),
        Move(S.BOOKED, S.ATTENDED, permission="counselling.add_session"),
        Move(S.BOOKED, S.NO_SHOW, permission="counselling.add_session"),
    ],
    labels={"note": _("说明")},
    statuses=S,
)
