"""Excel exports of counselling. None of them carries a sealed text (notes, the member's
booking note, crisis clearing notes) or an anonymous contact: they leave the portal."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.exports import Exporter
from apps.core.masking import mask_name

from .stats import counselling_stats


class SlotExporter(Exporter):
    columns = [_lazy("编号"), _lazy("开始"), _lazy("结束"), _lazy("方式"), _lazy("工作室"), _lazy("咨询师"), _lazy("已撤下")]
    title = "counselling-slots"

    def __init__(self, queryset):
        self.queryset = queryset.select_related("studio", "counsellor")

    def rows(self):
        for s in self.queryset.iterator(chunk_size=500):
            yield [s.pk, s.starts_at, s.ends_at, s.get_mode_display(), s.studio.name, s.counsellor.name, s.is_withdrawn]


class BookingExporter(Exporter):
    columns = [_lazy("编号"), _lazy("时段"), _lazy("工作室"), _lazy("咨询师"), _lazy("会员"), _lazy("主题"), _lazy("状态"),
               _lazy("预约时间")]
    title = "counselling-bookings"

    def __init__(self, queryset):
        self.queryset = queryset.select_related("slot__studio", "slot__counsellor", "member")

    def rows(self):
        for b in self.queryset.iterator(chunk_size=500):
            yield [b.pk, b.slot.starts_at, b.slot.studio.name, b.slot.counsellor.name, mask_name(b.member.name),
                   b.get_topic_display(), b.get_status_display(), b.booked_at]


class SessionExporter(Exporter):
    columns = [_lazy("编号"), _lazy("咨询时间"), _lazy("工作室"), _lazy("咨询师"), _lazy("结果"), _lazy("主题类别"),
               _lazy("需要跟进"), _lazy("等待天数")]
    title = "counselling-sessions"

    def __init__(self, queryset):
        self.queryset = queryset.select_related("studio", "counsellor").prefetch_related("topics").defer("notes")

    def rows(self):
        for s in self.queryset.iterator(chunk_size=500):
            topics = "、".join(t.get_topic_display() for t in s.topics.all())
            yield [s.pk, s.held_at, s.studio.name, s.counsellor.name, s.get_outcome_display(), topics,
                   s.follow_up, s.waiting_days]


class RequestExporter(Exporter):
    columns = [_lazy("编号"), _lazy("提交时间"), _lazy("联系方式类型"), _lazy("主题"), _lazy("状态"), _lazy("应回电日期"),
               _lazy("回电日期")]
    title = "counselling-requests"

    def __init__(self, queryset):
        self.queryset = queryset.defer("contact")

    def rows(self):
        for r in self.queryset.iterator(chunk_size=500):
            yield [r.pk, r.created_at, r.get_contact_kind_display(), r.get_topic_display(), r.get_status_display(),
                   r.callback_due, r.called_back_on]


class StatsExporter(Exporter):
    """The numbers page as one sheet: section, item, value."""

    columns = [_lazy("分类"), _lazy("项目"), _lazy("数值")]

    def __init__(self, *, year: int):
        self.year = year
        self.title = _("心理咨询统计%(year)d") % {"year": year}

    def rows(self):
        stats = counselling_stats(year=self.year)
        for row in stats["by_studio"]:
            for month, value in enumerate(row["months"], start=1):
                yield [_("各工作室每月咨询次数"), f"{row['studio']} {self.year}-{month:02d}", value]
        for row in stats["by_topic"]:
            yield [_("按主题"), row["topic"], row["count"]]
        yield [_("合计"), _("咨询次数"), stats["sessions"]]
        yield [_("合计"), _("未到率（%）"), stats["no_show_rate"] if stats["no_show_rate"] is not None else "—"]
        yield [_("合计"), _("平均等待天数"), stats["waiting_days"] if stats["waiting_days"] is not None else "—"]
        yield [_("匿名求助"), _("求助数"), stats["requests"]]
        yield [_("匿名求助"), _("一个工作日内回电率（%）"),
               stats["requests_on_time_rate"] if stats["requests_on_time_rate"] is not None else "—"]
        yield [_("说明"), _("生成时间"), timezone.localtime()]
