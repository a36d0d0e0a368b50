from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .selectors import queue_views, queues_for


@never_cache
def my_queues(request):
    """A staff login's work queues, in the admin's frame (wrapped by admin_view in urls.py)."""
    if not queues_for(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    context = {
        **admin.site.each_context(request),
        "title": _("我的待办"),
        "today": today,
        "queues": queue_views(request.user, today),
    }
    return TemplateResponse(request, "workqueues/queues.html", context)
