from django.db import models
from django.utils.translation import gettext_lazy as _


class Dashboard(models.Model):  # 数据驾驶舱: an empty table whose admin entry links the admin index to /dashboard/
    class Meta:
        default_permissions = ()
        verbose_name = _("数据驾驶舱")
        verbose_name_plural = _("数据驾驶舱")
