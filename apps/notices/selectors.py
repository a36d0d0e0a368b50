"""Reads of the public notice board."""

from django.db.models import Count, Q

from .models import NoticeStatus, ObjectionStatus, PublicNotice


def notices_public(*, kind: str = ""):
    """Notices the public sees: running and closed ones (withdrawn ones leave the board), open first."""
    queryset = PublicNotice.objects.exclude(status=NoticeStatus.WITHDRAWN).annotate(item_count=Count("items"))
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("status", "-starts_on", "-id")


def notice_public_get(pk: int) -> PublicNotice | None:
    return (
        PublicNotice.objects.exclude(status=NoticeStatus.WITHDRAWN)
        .prefetch_related("items")
        .filter(pk=pk)
        .first()
    )


def notices_with_open_objections(queryset=None):
    queryset = queryset if queryset is not None else PublicNotice.objects.all()
    return queryset.annotate(
        open_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN))
    )
