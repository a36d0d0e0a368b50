"""Excel exports of mutual-aid data (the project's Exporter neutralises formula-like cells).
Every exporter is given an already scoped queryset (access.py), so an agency point exports
only its own town/street."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.exports import Exporter
from apps.core.masking import mask_document_number, mask_name, mask_phone


class ClaimExporter(Exporter):
    """One row per claim, names and phones masked (the file leaves the portal)."""

    columns = [
        gettext_lazy("申请编号"), gettext_lazy("提交时间"), gettext_lazy("来源"), gettext_lazy("会员"), gettext_lazy("证件号码"), gettext_lazy("手机号码"),
        gettext_lazy("镇街"), gettext_lazy("代办点"), gettext_lazy("保障项目"), gettext_lazy("医院"), gettext_lazy("入院日期"), gettext_lazy("出院日期"),
        gettext_lazy("医疗总费用"), gettext_lazy("基本医保支付"), gettext_lazy("个人自付"), gettext_lazy("状态"), gettext_lazy("核准金额"),
        gettext_lazy("拨付日期"), gettext_lazy("拨付凭证号"),
    ]
    title = "互助金申请"

    def __init__(self, queryset):
        self.queryset = queryset

    @classmethod
    def for_job(cls, user, params: dict):
        """A background export of the claims `user` may see (its own scope), by year/status."""
        from .access import claims_for_staff
        from .models import Claim, Status

        queryset = claims_for_staff(user, Claim.objects.all())
        if str(params.get("year", "")).isdigit():
            queryset = queryset.filter(year=int(params["year"]))
        if params.get("status") in Status.values:
            queryset = queryset.filter(status=params["status"])
        return cls(queryset)

    def rows(self):
        queryset = self.queryset.select_related("member", "town_street", "agency_point", "benefit").order_by("pk")
        for claim in queryset.iterator(chunk_size=1000):
            yield [
                claim.number, claim.submitted_at, claim.get_channel_display(), mask_name(claim.member.name),
                mask_document_number(claim.member.document_number), mask_phone(claim.member.phone),
                claim.town_street.name, claim.agency_point.name if claim.agency_point_id else "", claim.benefit.name,
                claim.hospital, claim.admitted_on, claim.discharged_on, claim.total_cost, claim.insurance_paid,
                claim.out_of_pocket, claim.get_status_display(), claim.payable_amount, claim.paid_on,
                claim.payment_reference,
            ]


class PayoutBankExporter(Exporter):
    """A payout batch for the bank: full name and account (the bank needs them), amount."""

    columns = [gettext_lazy("序号"), gettext_lazy("收款人"), gettext_lazy("开户银行"), gettext_lazy("银行账号"), gettext_lazy("金额（元）"),
               gettext_lazy("申请编号"), gettext_lazy("摘要")]

    def __init__(self, batch):
        self.batch = batch
        self.title = _("拨付清单%(number)s") % {"number": batch.number}

    def rows(self):
        queryset = self.batch.claims.select_related("member").order_by("pk")
        for index, claim in enumerate(queryset.iterator(chunk_size=1000), start=1):
            yield [index, claim.member.name, claim.payee_bank, claim.payee_account, claim.payable_amount,
                   claim.number, _("职工医疗互助金")]


class EnrolmentExporter(Exporter):
    columns = [gettext_lazy("年度"), gettext_lazy("会员"), gettext_lazy("证件号码"), gettext_lazy("工会"), gettext_lazy("镇街"), gettext_lazy("缴费"),
               gettext_lazy("参保日期"), gettext_lazy("连续续保"), gettext_lazy("起保日")]
    title = "互助保障参保名单"

    def __init__(self, queryset):
        self.queryset = queryset

    def rows(self):
        queryset = self.queryset.select_related("member", "union", "town_street").order_by("pk")
        for e in queryset.iterator(chunk_size=1000):
            yield [e.year, mask_name(e.member.name), mask_document_number(e.member.document_number), e.union.name,
                   e.town_street.name, e.contribution, e.enrolled_on, e.is_renewal, e.covered_from]


class NumbersExporter(Exporter):
    """The numbers page in one sheet, table after table."""

    columns = [gettext_lazy("项目"), gettext_lazy("名称"), gettext_lazy("人数/件数"), gettext_lazy("金额（元）"), gettext_lazy("其他")]

    def __init__(self, figures: dict):
        self.figures = figures
        self.title = _("互助保障统计%(year)d") % {"year": figures["year"]}

    def rows(self):
        f = self.figures
        for row in f["by_union"]:
            yield [_("参保（按工会）"), row["union__name"], row["members"], row["contributions"], ""]
        for row in f["by_town"]:
            yield [_("参保（按镇街）"), row["town_street__name"], row["members"], row["contributions"], ""]
        for row in f["by_benefit"]:
            yield [_("申请（按项目）"), row["benefit__name"], row["claims"], row["paid"] or 0,
                   _("已核准 %(amount)s 元") % {"amount": row["approved"] or 0}]
        for row in f["by_point"]:
            yield [_("代办点"), f"{row['town_street__name']} {row['agency_point__name'] or _('网上申请')}", row["claims"],
                   "", _("拨付中位天数 %(days)s") % {"days": row["median_days"] if row["median_days"] is not None else "—"}]
        yield [_("基金"), _("应缴费"), f["members"], f["contributed"], ""]
        yield [_("基金"), _("工会已缴"), "", f["received"], ""]
        yield [_("基金"), _("已拨付"), "", f["paid_out"], ""]
        yield [_("基金"), _("结余"), "", f["balance"], ""]
