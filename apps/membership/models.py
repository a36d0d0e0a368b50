"""Membership workflows (网上入会, 转会, 资料变更) and the record of member merges.

Every workflow is a TextChoices status, a transition map beside it and a status-change row per
move, written only by the `*_transition` services in services.py.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.fields import DocumentNumberField, MobilePhoneField
from apps.core.masking import mask_document_number, mask_name, mask_phone
from apps.core.models import StatusChange
from apps.members.models import DocumentType, Member
from apps.orgs.models import Employer, GrassrootsUnion, TownStreet

JOIN_TIME_LIMIT_WORKDAYS = 15


class JoinStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    FORWARDED = "forwarded", _("已转交")
    APPROVED = "approved", _("已通过")
    DECLINED = "declined", _("未通过")


JOIN_OPEN = (JoinStatus.PENDING, JoinStatus.FORWARDED)


def _private_upload(instance, filename):
    return f"private/membership/{instance.__class__.__name__.lower()}/{filename}"


class JoinRequest(models.Model):  # 入会申请
    """A worker's request to join, routed to the union of their employer (or the catch-all
    union of the area). At most one open request per document; one per submitted form."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Member.Gender.choices)
    document_type = models.CharField(
        _("证件类型"), max_length=20, choices=DocumentType.choices, default=DocumentType.RESIDENT_ID
    )
    document_number = DocumentNumberField(_("证件号码"), max_length=20)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone = MobilePhoneField(_("手机号码"), max_length=11, db_index=True)
    employer = models.ForeignKey(
        Employer, verbose_name=_("工作单位"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="join_requests",
    )
    employer_name = models.CharField(
        _("填写的单位名称"), max_length=100, blank=True, help_text=_("单位不在名录中时由申请人填写")
    )
    town_street = models.ForeignKey(
        TownStreet, verbose_name=_("所在镇街"), on_delete=models.PROTECT, related_name="join_requests"
    )
    job = models.CharField(_("岗位"), max_length=50)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("受理工会"), on_delete=models.PROTECT, related_name="join_requests"
    )
    status = models.CharField(_("状态"), max_length=20, choices=JoinStatus.choices, default=JoinStatus.PENDING)
    consented_at = models.DateTimeField(_("同意会章时间"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    deadline = models.DateField(_("办理时限"), help_text=_("提交后15个工作日"))
    escalated_at = models.DateTimeField(_("上报组织部时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(_("未通过原因"), blank=True)
    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="join_requests",
    )
    idempotency_key = models.UUIDField(_("提交标识"), default=uuid.uuid4, unique=True, editable=False)
    # A person with a Member record re-joining from a phone other than the one on file: the
    # officer checks the ID card in person before approval (the login would follow the new phone).
    identity_check_required = models.BooleanField(
        _("须现场核验身份"), default=False, help_text=_("证件号码已有会员记录、手机号与登记的不同")
    )
    identity_checked_at = models.DateTimeField(_("身份核验时间"), null=True, blank=True)
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("身份核验人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["idempotency_key"])

    class Meta:
        verbose_name = _("入会申请")
        verbose_name_plural = _("入会申请")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"], condition=Q(status__in=["pending", "forwarded"]),
                name="membership_one_open_join_per_document",
            ),
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | ~Q(employer_name=""),
                name="membership_join_has_employer",
            ),
            models.CheckConstraint(
                condition=Q(identity_checked_at__isnull=True) | Q(identity_check_required=True),
                name="membership_join_checked_only_if_required",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(identity_check_required=False)
                | Q(identity_checked_at__isnull=False),
                name="membership_join_approved_identity_checked",
            ),
        ]
        indexes = [
            models.Index(fields=["union", "status"], name="membership_join_union_idx"),
            models.Index(fields=["status", "deadline"], name="membership_join_due_idx"),
            models.Index(fields=["submitted_at"], name="membership_join_submitted_idx"),
        ]

    def __str__(self):
        return f"{self.name}（{self.masked_document}）"

    @property
    def masked_document(self) -> str:
        return mask_document_number(self.document_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def employer_display(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name

    @property
    def is_open(self) -> bool:
        return self.status in JOIN_OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()

    @property
    def awaits_identity_check(self) -> bool:
        return self.identity_check_required and self.identity_checked_at is None


class JoinRequestChange(StatusChange):  # 入会申请流转记录
    """One move of a join request: who, when, from, to, why (from == to: escalation, or the
    officer's in-person identity check)."""

    join_request = models.ForeignKey(
        JoinRequest, verbose_name=_("入会申请"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("原状态"), max_length=20, choices=JoinStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=JoinStatus.choices)
    from_union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("原工会"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("现工会"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("入会申请流转记录")
        verbose_name_plural = _("入会申请流转记录")
        ordering = ["at", "id"]


class TransferStatus(models.TextChoices):
    PENDING_RELEASE = "pending_release", _("待原工会放行")
    PENDING_ACCEPT = "pending_accept", _("待新工会接收")
    COMPLETED = "completed", _("已完成")
    DECLINED = "declined", _("未通过")
    CANCELLED = "cancelled", _("已撤回")


TRANSFER_OPEN = (TransferStatus.PENDING_RELEASE, TransferStatus.PENDING_ACCEPT)


class Transfer(models.Model):  # 转会
    """A member's move to the union of a new employer: the old union releases, the new union
    accepts; the member keeps their membership number. One open transfer per member."""

    member = models.ForeignKey(Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="transfers")
    from_union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("原工会"), on_delete=models.PROTECT, related_name="transfers_out"
    )
    from_employer = models.ForeignKey(
        Employer, verbose_name=_("原单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("转入工会"), on_delete=models.PROTECT, related_name="transfers_in"
    )
    to_employer = models.ForeignKey(
        Employer, verbose_name=_("新单位"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_employer_name = models.CharField(_("填写的新单位名称"), max_length=100, blank=True)
    to_town_street = models.ForeignKey(
        TownStreet, verbose_name=_("新单位所在镇街"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("转会原因"), blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.PENDING_RELEASE
    )
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    by_officer = models.BooleanField(_("由工会发起"), default=False, help_text=_("会员已离职，由原工会发起转出"))
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    released_at = models.DateTimeField(_("放行时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("转会")
        verbose_name_plural = _("转会")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status__in=["pending_release", "pending_accept"]),
                name="membership_one_open_transfer_per_member",
            ),
            models.CheckConstraint(
                condition=~Q(from_union=models.F("to_union")), name="membership_transfer_changes_union"
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="membership_transfer_status_idx")]

    def __str__(self):
        return f"{self.member.name}：{self.from_union} → {self.to_union}"

    @property
    def to_employer_display(self) -> str:
        return self.to_employer.name if self.to_employer_id else self.to_employer_name

    @property
    def is_open(self) -> bool:
        return self.status in TRANSFER_OPEN

    @property
    def days_waiting(self) -> int:
        """Calendar days since the request, up to its end (or today while it is open)."""
        end = timezone.localdate(self.finished_at) if self.finished_at else timezone.localdate()
        return (end - timezone.localdate(self.requested_at)).days


class TransferChange(StatusChange):  # 转会流转记录
    transfer = models.ForeignKey(Transfer, verbose_name=_("转会"), on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(_("原状态"), max_length=20, choices=TransferStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=TransferStatus.choices)

    class Meta:
        verbose_name = _("转会流转记录")
        verbose_name_plural = _("转会流转记录")
        ordering = ["at", "id"]


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    DECLINED = "declined", _("未通过")
    CANCELLED = "cancelled", _("已撤回")




class ProfileChangeRequest(models.Model):  # 资料变更申请（姓名、证件）
    """A change of name or identity document, applied only after staff check the uploaded
    proof; the member's history keeps the old values. One open request per member."""

    class Kind(models.TextChoices):
        NAME = "name", _("姓名")
        DOCUMENT = "document", _("证件")

    member = models.ForeignKey(
        Member, verbose_name=_("会员"), on_delete=models.PROTECT, related_name="profile_change_requests"
    )
    kind = models.CharField(_("变更事项"), max_length=10, choices=Kind.choices)
    old_value = models.CharField(_("原值"), max_length=80, blank=True)
    new_name = models.CharField(_("新姓名"), max_length=50, blank=True)
    new_document_type = models.CharField(_("新证件类型"), max_length=20, choices=DocumentType.choices, blank=True)
    new_document_number = DocumentNumberField(_("新证件号码"), max_length=20, blank=True)
    reason = models.CharField(_("变更原因"), max_length=200, blank=True)
    proof = models.FileField(_("证明材料"), upload_to=_private_upload)
    proof_content_type = models.CharField(max_length=40, default="application/pdf")
    status = models.CharField(_("状态"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(_("未通过原因"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("资料变更申请")
        verbose_name_plural = _("资料变更申请")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="pending"), name="membership_one_open_change_per_member"
            ),
            models.CheckConstraint(
                condition=(Q(kind="name") & ~Q(new_name=""))
                | (Q(kind="document") & ~Q(new_document_number="") & ~Q(new_document_type="")),
                name="membership_change_has_new_value",
            ),
        ]

    def __str__(self):
        return f"{self.member.name} · {self.get_kind_display()}"

    @property
    def new_value_display(self) -> str:
        if self.kind == self.Kind.NAME:
            return self.new_name
        return f"{self.get_new_document_type_display()} {mask_document_number(self.new_document_number)}"


class ProfileChangeStep(StatusChange):  # 资料变更审核记录
    change_request = models.ForeignKey(
        ProfileChangeRequest, verbose_name=_("资料变更申请"), on_delete=models.CASCADE, related_name="changes"
    )
    from_status = models.CharField(_("原状态"), max_length=20, choices=ChangeStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=ChangeStatus.choices)

    class Meta:
        verbose_name = _("资料变更审核记录")
        verbose_name_plural = _("资料变更审核记录")
        ordering = ["at", "id"]


class MemberMerge(models.Model):  # 会员合并记录
    """Two records of one person merged: who, when, both ids, what the removed record held and
    how many rows of each model moved to the survivor."""

    survivor = models.ForeignKey(
        Member, verbose_name=_("保留的会员"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="merges_absorbed",
    )
    survivor_pk = models.PositiveBigIntegerField(_("保留记录编号"))
    removed_pk = models.PositiveBigIntegerField(_("被合并记录编号"), db_index=True)
    removed_snapshot = models.JSONField(_("被合并记录快照"))
    moved_counts = models.JSONField(_("迁移记录数"), default=dict)
    note = models.TextField(_("说明"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("合并时间"), default=timezone.now)

    class Meta:
        verbose_name = _("会员合并记录")
        verbose_name_plural = _("会员合并记录")
        ordering = ["-at"]
        permissions = [("merge_member", _("可合并重复会员"))]

    def __str__(self):
        return f"#{self.removed_pk} → #{self.survivor_pk}"
