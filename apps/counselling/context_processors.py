"""The on-site banner of open crises for supervisors: on the admin index and every counselling
admin page while any crisis flag is open (each supervisor's own urgent notice of a new flag is
the shared `apps.notify` staff notice). Limited to those pages so that other apps' admin pages
keep their query counts."""

from django.utils.translation import gettext as _

_PAGES = ("/admin/counselling/",)


def crisis_notice(request):
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    if not (user and user.is_authenticated and user.is_staff):
        return {}
    if not (path == "/admin/" or path.startswith(_PAGES)):
        return {}
    from .access import is_supervisor
    from .models import CrisisFlag

    if not is_supervisor(user):
        return {}
    count = CrisisFlag.objects.filter(is_open=True).count()
    if not count:
        return {}
    return {"counselling_crisis_notice": _("有 %(n)s 条未解除的危机预警，请立即处理。") % {"n": count}}
