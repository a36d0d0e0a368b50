from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CodeManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class NameManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class TownStreet(models.Model):  # 镇街: Yiwu's 8 streets (街道) and 6 towns (镇)
    class Kind(models.TextChoices):
        STREET = "street", _("街道")
        TOWN = "town", _("镇")

    code = models.SlugField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=20, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = CodeManager()

    class Meta:
        verbose_name = _("镇街")
        verbose_name_plural = _("镇街")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.full_name

    def natural_key(self):
        return (self.code,)

    @property
    def full_name(self):
        return f"{self.name}{self.get_kind_display()}"


class GrassrootsUnion(models.Model):  # 基层工会
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("单独基层工会")
        INSTITUTION = "institution", _("机关事业单位工会")
        JOINT = "joint", _("联合工会")
        FEDERATION = "federation", _("镇街总工会")

    name = models.CharField(_("工会名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE)
    town_street = models.ForeignKey(
        TownStreet, verbose_name=_("所在镇街"), on_delete=models.PROTECT, related_name="unions"
    )
    is_catch_all = models.BooleanField(
        _("兜底接收"), default=False,
        help_text=_("接收本镇街内尚未建会单位职工的入会申请（联合工会或镇街总工会）"),
    )
    chair_name = models.CharField(_("工会主席"), max_length=30, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = NameManager()

    class Meta:
        verbose_name = _("基层工会")
        verbose_name_plural = _("基层工会")
        ordering = ["town_street__sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["town_street"], condition=Q(is_catch_all=True),
                name="orgs_one_catch_all_union_per_town",
            ),
            models.CheckConstraint(
                condition=Q(is_catch_all=False) | Q(kind__in=["joint", "federation"]),
                name="orgs_catch_all_is_joint_or_federation",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Employer(models.Model):  # 用人单位
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        INSTITUTION = "institution", _("事业单位")
        GOVERNMENT = "government", _("机关")
        SCHOOL = "school", _("学校")
        HOSPITAL = "hospital", _("医院")
        SOCIAL = "social", _("社会组织")
        OTHER = "other", _("其他")

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    kind = models.CharField(_("单位类型"), max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    town_street = models.ForeignKey(
        TownStreet, verbose_name=_("所在镇街"), on_delete=models.PROTECT, related_name="employers"
    )
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("所属工会"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="employers",
        help_text=_("为空表示单位尚未建会"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    objects = NameManager()

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="orgs_employer_credit_code_unique"
            )
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class UnionOfficer(models.Model):  # 基层工会干部
    """A login that acts for a grassroots union: sees and decides only that union's matters."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="union_roles"
    )
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("工会"), on_delete=models.CASCADE, related_name="officers"
    )
    title = models.CharField(_("职务"), max_length=30, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工会干部")
        verbose_name_plural = _("工会干部")
        constraints = [
            models.UniqueConstraint(fields=["user", "union"], name="orgs_officer_user_union_unique")
        ]

    def __str__(self):
        return f"{self.union} · {self.user}"


class AgencyPoint(models.Model):  # 镇街代办点
    """A town/street office that takes members' paperwork (mutual-aid claims on paper) for the
    members of its town or street."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    town_street = models.ForeignKey(
        TownStreet, verbose_name=_("所在镇街"), on_delete=models.PROTECT, related_name="agency_points"
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("镇街代办点")
        verbose_name_plural = _("镇街代办点")
        ordering = ["town_street__sort_order", "name"]

    def __str__(self):
        return self.name


class AgencyPointStaff(models.Model):  # 代办点工作人员
    """A login that works for an agency point: sees and handles only the members (and their
    records) of that point's town or street."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="agency_roles"
    )
    point = models.ForeignKey(AgencyPoint, verbose_name=_("代办点"), on_delete=models.CASCADE, related_name="staff")
    is_active = models.BooleanField(_("有效"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("代办点工作人员")
        verbose_name_plural = _("代办点工作人员")
        constraints = [models.UniqueConstraint(fields=["user", "point"], name="orgs_agency_staff_user_point_unique")]

    def __str__(self):
        return f"{self.point} · {self.user}"
