from .models import StaffNotice


def staff_notices(request):
    """How many notices wait for the signed-in staff login (admin pages only: one query)."""
    user = getattr(request, "user", None)
    # the admin index only: every other staff page keeps its own query count
    if request.path != "/admin/" or user is None or not user.is_authenticated or not user.is_staff:
        return {}
    unread = list(
        StaffNotice.objects.filter(user=user, read_at__isnull=True).order_by("-urgent", "-created_at")
        .values("urgent")[:100]
    )
    return {"staff_notices_unread": len(unread), "staff_notices_urgent": sum(1 for n in unread if n["urgent"])}
