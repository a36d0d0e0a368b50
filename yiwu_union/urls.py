from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("义乌市总工会 管理后台")
admin.site.site_title = _("义乌市总工会")
admin.site.index_title = _("业务管理")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/queues/", include("apps.workqueues.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("me/", include("apps.members.urls")),
    path("card/", include("apps.members.public_urls")),
    path("honours/", include("apps.awards.urls")),
    path("innovation/", include("apps.innovation.urls")),
    path("stars/", include("apps.stars.urls")),
    path("notices/", include("apps.notices.urls")),
    path("news/", include("apps.news.urls")),
    path("dashboard/", include("apps.dashboard.urls")),
    # These two apps own paths under several prefixes (/join/ and /me/profile/, /rights/ and
    # /me/rights/), so their urls.py spell the full paths.
    path("", include("apps.membership.urls")),
    path("", include("apps.rights.urls")),
    path("", include("apps.mutualaid.urls")),
    path("", include("apps.awards.portal_urls")),  # /me/honours/, /me/nominations/
    path("", include("apps.counselling.urls")),
    path("", include("apps.aid.urls")),
    path("", include("apps.competitions.urls")),
    path("", include("apps.core.urls")),
]

# No route serves MEDIA_ROOT: uploaded files hold personal data and are streamed by views
# that check who asks (members:photo, rights attachments...).
