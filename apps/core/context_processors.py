from django.conf import settings


def portal(request):
    member = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        member = getattr(user, "member", None)
    return {"current_member": member, "SITE_URL": settings.SITE_URL}
