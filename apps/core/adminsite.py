"""The portal's admin site: Django's, without the work every admin page paid for and few used.

Django builds the whole app list (every registered model, each with its permission checks) into
the context of every admin page, for the navigation sidebar. With a hundred models that was a
quarter of the member changelist's time (cProfile, `bench/`). The sidebar is off (the index
and the breadcrumbs lead everywhere) and the list is built only when a page reads it: the index
and the app pages.
"""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject


class PortalAdminSite(AdminSite):
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))


class PortalAdminConfig(AdminConfig):
    default_site = "apps.core.adminsite.PortalAdminSite"
