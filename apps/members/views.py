import base64
import io

import qrcode
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Window
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.accounts.forms import SEND_CODE
from apps.core.errors import DomainError
from apps.core.timeline import Viewer, member_timeline
from apps.notify.models import Notification

from .access import member_for_staff, member_for_user
from .forms import PhoneChangeForm, PhotoForm
from .services import (
    member_card_token,
    member_card_verify,
    member_phone_change,
    member_photo_set,
)


@login_required
def home(request):
    member = member_for_user(request.user)
    # The five latest messages and the unread count in one query: the window counts over every
    # message of the member before the LIMIT applies (no message: no row, nothing unread).
    notifications = list(
        Notification.objects.filter(member=member)
        .annotate(unread_total=Window(Count("pk", filter=Q(read_at__isnull=True))))[:5]
    )
    unread = notifications[0].unread_total if notifications else 0
    return render(
        request, "members/home.html",
        {"member": member, "notifications": notifications, "unread": unread},
    )


@login_required
def notifications(request):
    member = member_for_user(request.user)
    items = list(Notification.objects.filter(member=member)[:100])
    Notification.objects.filter(member=member, read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "members/notifications.html", {"member": member, "items": items})


@never_cache
@login_required
def timeline(request):
    """The member's own history across every service (their own only: no id in the URL)."""
    member = member_for_user(request.user)
    entries = member_timeline(member, Viewer.member_self(request.user))
    return render(request, "members/timeline.html", {"member": member, "entries": entries})


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


CARD_QR_SECONDS = 24 * 3600


def _card_qr(request, member) -> tuple[str, str]:
    """The card's verification URL and QR image, drawn once a day per card (not per view):
    drawing the PNG is most of the page's time, and the member opens this page most. A reissued
    card (new serial) gets a new code at once."""
    key = f"members:card-qr:{member.pk}:{member.card_serial}:{request.get_host()}"
    found = cache.get(key)
    if found is None:
        verify_url = request.build_absolute_uri(
            reverse("cards:verify", kwargs={"token": member_card_token(member)})
        )
        found = (verify_url, _qr_data_uri(verify_url))
        cache.set(key, found, CARD_QR_SECONDS)
    return found


@never_cache
@login_required
def card(request):
    member = member_for_user(request.user)
    verify_url, qr = _card_qr(request, member)
    return render(
        request, "members/card.html",
        {"member": member, "verify_url": verify_url, "qr": qr, "today": timezone.localdate()},
    )


@never_cache
def card_verify(request, token):
    check = member_card_verify(token)
    return render(
        request, "members/card_verify.html", {"check": check, "token": token, "today": timezone.localdate()}
    )


@never_cache
def card_photo(request, token):
    """The photo thumbnail of a card whose QR token is valid today; 404 for anything else."""
    check = member_card_verify(token)
    if check.outcome != "valid" or not check.member.photo_thumbnail:
        raise Http404
    response = FileResponse(check.member.photo_thumbnail.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def phone_change(request):
    member = member_for_user(request.user)
    form = PhoneChangeForm(request.POST or None)
    if request.method == "POST":
        if SEND_CODE in request.POST:
            form.send_code(request)
        elif form.is_valid():
            try:
                member_phone_change(member=member, phone=form.cleaned_data["phone"])
            except DomainError as exc:
                form.add_error("phone", exc.message)
            else:
                messages.success(request, _("手机号已更换。"))
                return redirect("members:home")
    return render(request, "members/phone_change.html", {"form": form, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def photo_upload(request):
    member = member_for_user(request.user)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            member_photo_set(member=member, upload=form.cleaned_data["photo"])
        except ValidationError as exc:
            form.add_error("photo", exc.messages)
        else:
            messages.success(request, _("照片已更新。"))
            return redirect("members:card")
    return render(request, "members/photo_upload.html", {"form": form, "member": member})


@never_cache
@login_required
def photo(request, pk, size):
    """A member's photo, to the member themselves or staff allowed to see that member."""
    own = getattr(request.user, "member", None)
    if own is not None and own.pk == pk:
        member = own
    else:
        try:
            member = member_for_staff(request.user, pk)
        except PermissionDenied:
            raise Http404 from None  # never tell a stranger that this member exists
    field = member.photo_thumbnail if size == "thumb" else member.photo
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response
