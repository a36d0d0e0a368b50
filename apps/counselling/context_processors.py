"""The on-site crisis notice: every admin page of a supervisor with an unseen crisis alert."""

from django.utils.translation import gettext as _


def crisis_notice(request):
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and user.is_staff and request.path.startswith("/admin/")):
        return {}
    from .access import is_supervisor
    from .models import CrisisAlert

    if not is_supervisor(user):
        return {}
    count = CrisisAlert.objects.filter(supervisor=user, flag__is_open=True).count()
    if not count:
        return {}
    return {"counselling_crisis_notice": _("有 %(n)s 条未解除的危机预警，请立即处理。") % {"n": count}}
