"""Excel exports of aid data (the project's Exporter neutralises formula-like cells)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from apps.core.exports import Exporter
from apps.core.masking import mask_document_number

from .selectors import (
    campaign_budgets,
    file_holders_never_aided,
    members_aided_more_than_once,
    numbers_by,
    payment_list,
)


class PaymentListExporter(Exporter):
    """The batch list the bank pays from: one row per application on notice or paid."""

    columns = [
        _lazy("申请编号"), _lazy("姓名"), _lazy("证件号码"), _lazy("开户银行"), _lazy("银行账号"), _lazy("金额（元）"),
        _lazy("救助项目"), _lazy("所属工会"), _lazy("状态"), _lazy("发放日期"), _lazy("凭证号"),
    ]

    def __init__(self, *, queryset, title=None):
        self.queryset = queryset
        self.title = title or _("救助发放清单")

    def rows(self):
        for a in payment_list(self.queryset).iterator(chunk_size=500):
            yield [
                a.number, a.member.name, a.member.document_number, a.bank_name, a.bank_account, a.amount,
                a.aid_type.name, a.union.name if a.union_id else "", a.get_status_display(), a.paid_on, a.paid_reference,
            ]


class ApplicationExporter(Exporter):
    """The applications a staff login lists (its own scope), with masked ID numbers."""

    columns = [
        _lazy("申请编号"), _lazy("年度"), _lazy("活动"), _lazy("救助项目"), _lazy("姓名"), _lazy("证件号码"),
        _lazy("所属工会"), _lazy("镇街"), _lazy("困难类别"), _lazy("状态"), _lazy("批准金额（元）"), _lazy("提交时间"),
    ]

    def __init__(self, *, queryset):
        self.queryset = queryset
        self.title = _("救助申请")

    def rows(self):
        queryset = self.queryset.select_related("member", "campaign", "aid_type", "union", "town_street")
        for a in queryset.iterator(chunk_size=500):
            yield [
                a.number or "", a.year, a.campaign.title, a.aid_type.name, a.member.name,
                mask_document_number(a.member.document_number), a.union.name if a.union_id else "",
                a.town_street.name if a.town_street_id else "", a.get_hardship_level_display(), a.get_status_display(),
                a.amount, a.submitted_at,
            ]


class NumbersExporter(Exporter):
    """The numbers page in one sheet: per campaign, town/street, union and hardship level."""

    columns = [_lazy("分组"), _lazy("名称"), _lazy("申请数"), _lazy("批准数"), _lazy("批准金额（元）"), _lazy("已发放（元）"), _lazy("预算（元）")]

    def __init__(self, *, year: int):
        self.year = year
        self.title = _("帮扶数据%(year)d") % {"year": year}

    def rows(self):
        for c in campaign_budgets(self.year):
            yield [_("活动"), c.title, c.n_applications, c.n_approved, c.amount_approved, c.amount_paid, c.budget]
        for field, group in (("town_street", _("镇街")), ("union", _("工会")), ("hardship_level", _("困难类别"))):
            rows, label = numbers_by(self.year, field)
            for row in rows:
                yield [group, row[label] or "—", row["applications"], row["approved"], row["amount_approved"], row["amount_paid"], ""]
        for row in members_aided_more_than_once(self.year):
            yield [_("多次获助"), row["member__name"], row["times"], row["times"], row["total"], "", ""]


class NeverAidedExporter(Exporter):
    columns = [_lazy("姓名"), _lazy("困难类别"), _lazy("所属工会"), _lazy("镇街"), _lazy("下次复核")]

    def __init__(self, *, year: int, queryset=None):
        self.year = year
        self.queryset = queryset
        self.title = _("本年未获救助的档案职工%(year)d") % {"year": year}

    def rows(self):
        queryset = file_holders_never_aided(self.year)
        if self.queryset is not None:
            queryset = queryset.filter(pk__in=self.queryset.values("pk"))
        for f in queryset.iterator(chunk_size=500):
            m = f.member
            yield [m.name, f.get_level_display(), m.union.name if m.union_id else "", m.town_street.name if m.town_street_id else "", f.recheck_due]
