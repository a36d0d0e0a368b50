"""Counselling (心灵港湾工作室): studios, volunteer counsellors, slots, bookings, anonymous
requests, sessions with sealed notes, and crisis flags.

Sealed means: `Session.notes` and `CrisisFlag` texts are encrypted at rest (crypto.py), left out
of every history table, export, search and timeline, and shown only through
`access.notes_readable()` (the session's own counsellor and the supervisors, 心理咨询督导).
"""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import DateTimeRangeField
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.constraints import PostgresExclusionConstraint
from apps.core.models import StatusChange

from .crypto import EncryptedTextField


class Topic(models.TextChoices):
    WORK_STRESS = "work", _("工作压力")
    FAMILY = "family", _("家庭")
    RELATIONSHIPS = "relations", _("人际关系")
    EMOTIONS = "emotions", _("情绪")
    OTHER = "other", _("其他")


class Mode(models.TextChoices):
    IN_PERSON = "studio", _("到工作室面谈")
    PHONE = "phone", _("电话")
    VIDEO = "video", _("视频")


class Studio(models.Model):  # 心灵港湾工作室
    name = models.CharField(_("名称"), max_length=60, unique=True)
    town_street = models.ForeignKey("orgs.TownStreet", verbose_name=_("镇街"), on_delete=models.PROTECT,
                                    related_name="counselling_studios")
    address = models.CharField(_("地址"), max_length=200)
    phone = models.CharField(_("电话"), max_length=30)
    services = models.TextField(_("服务内容"), blank=True)
    is_active = models.BooleanField(_("开放中"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("心灵港湾工作室")
        verbose_name_plural = _("心灵港湾工作室")
        ordering = ["town_street__sort_order", "name"]

    def __str__(self):
        return self.name


class OpeningHours(models.Model):  # 开放时间（每周）
    class Weekday(models.IntegerChoices):
        MON = 0, _("周一")
        TUE = 1, _("周二")
        WED = 2, _("周三")
        THU = 3, _("周四")
        FRI = 4, _("周五")
        SAT = 5, _("周六")
        SUN = 6, _("周日")

    studio = models.ForeignKey(Studio, verbose_name=_("工作室"), on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    opens = models.TimeField(_("开门"))
    closes = models.TimeField(_("关门"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("开放时间")
        verbose_name_plural = _("开放时间")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="counselling_hours_open_before_close"),
            models.UniqueConstraint(fields=["studio", "weekday", "opens"], name="counselling_hours_unique"),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Counsellor(models.Model):  # 心理咨询师志愿者（每人一个工作人员账号）
    class Qualification(models.TextChoices):
        COUNSELLOR_2 = "c2", _("二级心理咨询师")
        COUNSELLOR_3 = "c3", _("三级心理咨询师")
        SOCIAL_WORKER = "sw", _("社会工作者")
        PSYCHOTHERAPIST = "pt", _("心理治疗师")
        OTHER = "other", _("其他")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), on_delete=models.PROTECT,
                                related_name="counsellor")
    name = models.CharField(_("姓名"), max_length=40)
    qualification = models.CharField(_("资质"), max_length=10, choices=Qualification.choices)
    languages = models.CharField(_("服务语言"), max_length=100, default="普通话", help_text=_("如：普通话、义乌话、英语"))
    phone = models.CharField(_("手机"), max_length=20, blank=True, help_text=_("督导接收危机预警短信"))
    studios = models.ManyToManyField(Studio, verbose_name=_("服务工作室"), related_name="counsellors", blank=True)
    serving_hours = models.CharField(_("服务时间"), max_length=200, blank=True, help_text=_("如：每周三 14:00-17:00"))
    is_active = models.BooleanField(_("在岗"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("心理咨询师")
        verbose_name_plural = _("心理咨询师")
        ordering = ["name"]

    def __str__(self):
        return self.name


class TsTzRange(Func):  # one counsellor's slots as ranges, for the exclusion constraint
    function = "TSTZRANGE"

    output_field = DateTimeRangeField()


class SlotExclusionConstraint(PostgresExclusionConstraint):
    """One counsellor's slots never overlap (PostgreSQL only); services.slot_publish's own
    overlap check is the guard on SQLite. The admin's add form leaves out is_withdrawn."""

    fields_read = frozenset({"counsellor", "starts_at", "ends_at", "is_withdrawn"})


class Slot(models.Model):  # 可预约时段
    counsellor = models.ForeignKey(Counsellor, verbose_name=_("咨询师"), on_delete=models.PROTECT, related_name="slots")
    studio = models.ForeignKey(Studio, verbose_name=_("工作室"), on_delete=models.PROTECT, related_name="slots")
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    starts_at = models.DateTimeField(_("开始"), db_index=True)
    ends_at = models.DateTimeField(_("结束"))
    is_withdrawn = models.BooleanField(_("已撤下"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("咨询时段")
        verbose_name_plural = _("咨询时段")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="counselling_slot_starts_before_end"),
            SlotExclusionConstraint(
                name="counselling_slot_no_overlap",
                expressions=[
                    ("counsellor", "="),
                    (TsTzRange("starts_at", "ends_at"), "&&"),
                ],
                condition=Q(is_withdrawn=False),
            ),
        ]
        indexes = [models.Index(fields=["studio", "starts_at"], name="counselling_slot_studio_idx")]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M} {self.get_mode_display()}"

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at)


class Booking(models.Model):  # 预约
    class Status(models.TextChoices):
        BOOKED = "booked", _("已预约")
        CANCELLED = "cancelled", _("已取消")
        ATTENDED = "attended", _("已咨询")
        NO_SHOW = "no_show", _("未到")

    slot = models.ForeignKey(Slot, verbose_name=_("时段"), on_delete=models.PROTECT, related_name="bookings")
    member = models.ForeignKey("members.Member", verbose_name=_("会员"), on_delete=models.PROTECT,
                               related_name="counselling_bookings")
    topic = models.CharField(_("咨询主题"), max_length=10, choices=Topic.choices)
    note = EncryptedTextField(_("留言"), blank=True)  # the member's own words: sealed like the notes
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_at = models.DateTimeField(_("预约时间"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["note"])

    class Meta:
        verbose_name = _("咨询预约")
        verbose_name_plural = _("咨询预约")
        ordering = ["-booked_at", "-id"]
        constraints = [
            # The same slot is never held by two bookings, whatever path wrote them.
            models.UniqueConstraint(fields=["slot"], condition=~Q(status="cancelled"),
                                    name="counselling_one_booking_per_slot"),
        ]
        indexes = [models.Index(fields=["member", "status"], name="counselling_booking_member_idx")]

    def __str__(self):
        return _("预约 #%(pk)s") % {"pk": self.pk}


class BookingAllowance(models.Model):  # 预约名额放宽（工作人员准许同时预约多次）
    member = models.OneToOneField("members.Member", verbose_name=_("会员"), on_delete=models.CASCADE,
                                  related_name="counselling_allowance")
    max_upcoming = models.PositiveSmallIntegerField(_("同时可预约次数"), default=2)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("批准人"), on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("预约次数放宽")
        verbose_name_plural = _("预约次数放宽")
        constraints = [models.CheckConstraint(condition=Q(max_upcoming__gte=1), name="counselling_allowance_positive")]

    def __str__(self):
        return str(self.max_upcoming)


class BookingChange(StatusChange):  # 预约状态记录 (kept out of the member timeline: TIMELINE_EXCLUDED)
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("原状态"), max_length=20, blank=True, choices=Booking.Status.choices)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Booking.Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("预约状态记录")
        verbose_name_plural = _("预约状态记录")


class AnonymousRequest(models.Model):  # 匿名求助：只存联系方式和（可选）主题、方便接听的时间
    class ContactKind(models.TextChoices):
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信")
        EMAIL = "email", _("电子邮箱")

    class Status(models.TextChoices):
        OPEN = "open", _("待回电")
        CALLED_BACK = "called", _("已回电")
        UNREACHABLE = "unreachable", _("未能联系上")

    contact_kind = models.CharField(_("联系方式类型"), max_length=10, choices=ContactKind.choices)
    contact = EncryptedTextField(_("联系方式"))
    topic = models.CharField(_("主题"), max_length=10, choices=Topic.choices, blank=True)
    call_time = models.CharField(_("方便接听的时间"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    callback_due = models.DateField(_("应回电日期"))  # one working day after it came in
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    called_back_at = models.DateTimeField(_("回电时间"), null=True, blank=True)
    called_back_on = models.DateField(_("回电日期"), null=True, blank=True)
    called_back_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("回电人"), on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+")
    studio = models.ForeignKey(Studio, verbose_name=_("负责工作室"), on_delete=models.PROTECT, null=True, blank=True,
                               related_name="requests")
    history = HistoricalRecords(excluded_fields=["contact"])

    class Meta:
        verbose_name = _("匿名求助")
        verbose_name_plural = _("匿名求助")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return _("匿名求助 #%(pk)s") % {"pk": self.pk}


class Session(models.Model):  # 咨询记录（含保密笔记）
    class Outcome(models.TextChoices):
        ATTENDED = "attended", _("已咨询")
        NO_SHOW = "no_show", _("未到")

    booking = models.OneToOneField(Booking, verbose_name=_("预约"), on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="session")
    request = models.ForeignKey(AnonymousRequest, verbose_name=_("匿名求助"), on_delete=models.PROTECT, null=True,
                                blank=True, related_name="sessions")
    counsellor = models.ForeignKey(Counsellor, verbose_name=_("咨询师"), on_delete=models.PROTECT,
                                   related_name="sessions")
    studio = models.ForeignKey(Studio, verbose_name=_("工作室"), on_delete=models.PROTECT, related_name="sessions")
    held_at = models.DateTimeField(_("咨询时间"), db_index=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.ATTENDED)
    follow_up = models.BooleanField(_("需要跟进"), default=False)
    waiting_days = models.PositiveIntegerField(_("等待天数"), default=0)  # from booking/request to the session
    notes = EncryptedTextField(_("保密笔记"), blank=True)
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["notes"])

    class Meta:
        verbose_name = _("咨询记录")
        verbose_name_plural = _("咨询记录")
        ordering = ["-held_at", "-id"]
        permissions = [("read_notes", _("可阅读保密笔记（另需为本次咨询师或督导）"))]
        indexes = [models.Index(fields=["studio", "held_at"], name="counselling_session_studio_idx")]

    def __str__(self):
        return _("咨询记录 #%(pk)s") % {"pk": self.pk}


class SessionTopic(models.Model):  # 咨询记录的主题类别（可多选）
    """One topic category of a session; a session has one or more (work stress and family...)."""

    session = models.ForeignKey(Session, verbose_name=_("咨询记录"), on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("主题类别"), max_length=10, choices=Topic.choices)

    class Meta:
        verbose_name = _("主题类别")
        verbose_name_plural = _("主题类别")
        ordering = ["session", "topic"]
        constraints = [models.UniqueConstraint(fields=["session", "topic"], name="counselling_session_topic_once")]
        indexes = [models.Index(fields=["topic", "session"], name="counselling_topic_session_idx")]

    def __str__(self):
        return self.get_topic_display()


class CrisisFlag(models.Model):  # 危机预警
    session = models.ForeignKey(Session, verbose_name=_("咨询记录"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="crises")
    request = models.ForeignKey(AnonymousRequest, verbose_name=_("匿名求助"), on_delete=models.PROTECT, null=True,
                                blank=True, related_name="crises")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                  related_name="+")
    raised_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    is_open = models.BooleanField(_("未解除"), default=True, db_index=True)
    cleared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("解除人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    clearing_note = EncryptedTextField(_("督导解除说明"), blank=True)
    history = HistoricalRecords(excluded_fields=["clearing_note"])

    class Meta:
        verbose_name = _("危机预警")
        verbose_name_plural = _("危机预警")
        ordering = ["-is_open", "-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(session__isnull=False) & Q(request__isnull=True))
                | (Q(session__isnull=True) & Q(request__isnull=False)),
                name="counselling_crisis_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(is_open=True) | (Q(cleared_by__isnull=False) & Q(cleared_at__isnull=False)),
                name="counselling_crisis_cleared_by_someone",
            ),
        ]

    def __str__(self):
        return _("危机预警 #%(pk)s") % {"pk": self.pk}
