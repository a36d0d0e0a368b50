"""The on-site crisis notice for supervisors: on the admin index and every counselling admin
page while a crisis alert of theirs is open. Limited to those pages so that other apps' admin
pages keep their query counts."""

from django.utils.translation import gettext as _

_PAGES = ("/admin/counselling/",)


def crisis_notice(request):
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    if not (user and user.is_authenticated and user.is_staff):
        return {}
    if not (path == "/admin/" or path.startswith(_PAGES)):
        return {}
    from .models import CrisisAlert

    count = CrisisAlert.objects.filter(supervisor=user, flag__is_open=True).count()
    if not count:
        return {}
    return {"counselling_crisis_notice": _("有 %(n)s 条未解除的危机预警，请立即处理。") % {"n": count}}
