"""Public studio pages, the member's bookings, and the anonymous request form. Thin: bind a
form, call one service, redirect or show the error."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.cache import public_page
from apps.core.errors import DomainError
from apps.members.access import member_for_user

from .access import booking_for_member, bookings_for_member
from .forms import AnonymousRequestForm, BookingForm
from .models import Booking
from .selectors import bookable_slot, free_slots, studios_public
from .services import booking_cancel, booking_create, request_submit

_MAX_PK = 2**62


@require_GET
@public_page("counselling")
def index(request):
    return render(request, "counselling/index.html", {"studios": studios_public()})


@require_GET
@public_page("counselling", seconds=60)  # free slots pass their time: a short life
def studio(request, pk):
    if pk > _MAX_PK:
        raise Http404
    found = studios_public().filter(pk=pk).first()
    if found is None:
        raise Http404
    return render(request, "counselling/studio.html", {"studio": found, "slots": free_slots(found)})


@never_cache
@require_http_methods(["GET", "POST"])
def anonymous_request(request):
    form = AnonymousRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_submit(contact_kind=form.cleaned_data["contact_kind"], contact=form.cleaned_data["contact"],
                           topic=form.cleaned_data["topic"], call_time=form.cleaned_data["call_time"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("counselling:request_thanks")
    return render(request, "counselling/request.html", {"form": form})


def request_thanks(request):
    return render(request, "counselling/request_thanks.html")


@never_cache
@login_required
def mine(request):
    member = member_for_user(request.user)
    bookings = list(bookings_for_member(member)[:100])
    now = timezone.now()
    return render(request, "counselling/mine.html", {
        "bookings": bookings, "now": now, "cancel_hours": settings.COUNSELLING_CANCEL_HOURS,
        "booked": Booking.Status.BOOKED,
    })


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def book(request, slot_pk):
    member = member_for_user(request.user)
    slot = bookable_slot(slot_pk) if slot_pk <= _MAX_PK else None
    if slot is None:
        raise Http404
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking_create(member=member, slot=slot, topic=form.cleaned_data["topic"], note=form.cleaned_data["note"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("预约成功，我们已发送短信确认。"))
            return redirect("counselling:mine")
    return render(request, "counselling/book.html", {"form": form, "slot": slot})


@login_required
@require_POST
def cancel(request, pk):
    member = member_for_user(request.user)
    booking = booking_for_member(member, pk) if pk <= _MAX_PK else None
    if booking is None:
        raise Http404
    try:
        booking_cancel(booking=booking, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("预约已取消。"))
    return redirect("counselling:mine")
