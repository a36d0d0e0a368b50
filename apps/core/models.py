from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):  # 编号序列
    """Gapless counters for readable numbers (membership numbers, case numbers per year)."""

    key = models.CharField(_("序列"), max_length=40)
    year = models.PositiveIntegerField(_("年度"), default=0)
    last_value = models.PositiveIntegerField(_("当前值"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="core_sequence_key_year_unique")
        ]

    def __str__(self):
        return f"{self.key}/{self.year}: {self.last_value}"


def sequence_next(*, key: str, year: int = 0) -> int:
    """The next value of a counter, without gaps while the caller's transaction commits.

    Must be called inside transaction.atomic(): it holds the counter's row lock until the
    caller commits, so two numbers handed out at the same moment are consecutive and distinct.
    """
    assert transaction.get_connection().in_atomic_block, "sequence_next needs a transaction"
    NumberSequence.objects.get_or_create(key=key, year=year)
    row = NumberSequence.objects.select_for_update().get(key=key, year=year)
    row.last_value = models.F("last_value") + 1
    row.save(update_fields=["last_value"])
    row.refresh_from_db(fields=["last_value"])
    return row.last_value


def sequence_next_block(*, key: str, year: int = 0, count: int) -> int:
    """Reserve `count` consecutive values of a counter and return the first (bulk imports).

    Same guarantee as `sequence_next`: one row lock held until the caller commits, no gaps.
    """
    assert transaction.get_connection().in_atomic_block, "sequence_next_block needs a transaction"
    NumberSequence.objects.get_or_create(key=key, year=year)
    row = NumberSequence.objects.select_for_update().get(key=key, year=year)
    first = row.last_value + 1
    row.last_value = row.last_value + count
    row.save(update_fields=["last_value"])
    return first


class StatusChange(models.Model):
    """Base of every workflow's status-change row: who acted, for which member, when, from,
    to, why.

    A subclass adds the foreign key to its object and redeclares from_status/to_status with its
    workflow's choices. `actor` is None for the system (a deadline task); `member` is the member
    the request is about (None for a non-member worker), so that one member's history across
    every app reads with one query per workflow (`apps.core.timeline`). Bulk changes (an
    escalation, a merge) write these rows too, with `bulk_create`.
    """

    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        "auth.User", verbose_name=_("经办人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


def export_file_path(instance, filename):
    return f"private/exports/{timezone.localdate():%Y/%m}/{filename}"


class ExportJob(models.Model):  # 后台导出任务
    """An Excel file built in the background for one staff login (large exports).

    `exporter` names an Exporter subclass with a `for_job(user, params)` constructor; the file
    is only ever served to its owner.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    owner = models.ForeignKey(
        "auth.User", verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    title = models.CharField(_("名称"), max_length=100)
    exporter = models.CharField(_("导出类型"), max_length=200)
    params = models.JSONField(_("筛选条件"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("文件"), upload_to=export_file_path, blank=True)
    row_count = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导出")
        verbose_name_plural = _("后台导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="core_export_owner_idx")]

    def __str__(self):
        return self.title


class Allowance(models.Model):  # 限额台账
    """One limited thing (a budget, a member's yearly limit, a quota, a capacity): how much it
    may hold and how much is committed. The check constraint makes an over-commit impossible
    even for a code path that forgot the lock: the second of two racing writes fails.

    `key` names it stably, e.g. ``aid.budget:campaign=12`` or ``aid.yearly:member=5:year=2026``;
    `member` and `year` are set for per-member limits so that a member merge can recount them.
    Rows are written only through `apps.core.limits`.
    """

    key = models.CharField(_("限额"), max_length=120, unique=True)
    label = models.CharField(_("名称"), max_length=200, blank=True)
    capacity = models.DecimalField(_("上限"), max_digits=14, decimal_places=2)
    used = models.DecimalField(_("已占用"), max_digits=14, decimal_places=2, default=0)
    member = models.ForeignKey(
        "members.Member", verbose_name=_("会员"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="allowances",
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("限额台账")
        verbose_name_plural = _("限额台账")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(condition=models.Q(used__gte=0), name="core_allowance_used_not_negative"),
            models.CheckConstraint(
                condition=models.Q(used__lte=models.F("capacity")), name="core_allowance_within_capacity",
                violation_error_message=_("超出限额。"),
            ),
        ]

    def __str__(self):
        return self.label or self.key

    @property
    def remaining(self):
        return self.capacity - self.used


class AllowanceEntry(models.Model):  # 限额占用记录
    """One commitment against an allowance (an approval, a registration, a place), released
    (never deleted) when it is given back. `ref` says what holds it, e.g. ``aid.application:42``."""

    allowance = models.ForeignKey(
        Allowance, verbose_name=_("限额"), on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.DecimalField(_("数额"), max_digits=14, decimal_places=2)
    ref = models.CharField(_("占用对象"), max_length=120)
    actor = models.ForeignKey(
        "auth.User", verbose_name=_("经办人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    released_at = models.DateTimeField(_("释放时间"), null=True, blank=True)
    release_note = models.CharField(_("释放原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("限额占用记录")
        verbose_name_plural = _("限额占用记录")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="core_allowance_entry_positive"),
            # A holder commits once per allowance while it holds it.
            models.UniqueConstraint(
                fields=["allowance", "ref"], condition=models.Q(released_at__isnull=True),
                name="core_allowance_entry_one_open_per_ref",
            ),
        ]
        indexes = [models.Index(fields=["ref"], name="core_allowance_entry_ref_idx")]

    def __str__(self):
        return f"{self.allowance} · {self.ref} · {self.amount}"


class Evidence(models.Model):
    """Base of every uploaded proof (case material, receipts, admission letters, evidence of a
    self-assessment): kept for good. Staff never delete one; a wrong or replaced file is
    withdrawn with a reason (`apps.core.evidence.evidence_withdraw`) and stays in the record.

    A subclass adds the foreign key to what it proves (with `on_delete=PROTECT`, so the record
    cannot be deleted from under its evidence) and its `file` with its own upload path.
    """

    class Kind(models.TextChoices):
        IMAGE = "image", _("图片")
        PDF = "pdf", _("PDF")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(_("内容类型"), max_length=50)
    original_name = models.CharField(_("原文件名"), max_length=100)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        "auth.User", verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        "auth.User", verbose_name=_("撤回人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def delete(self, *args, **kwargs):
        from .errors import EvidenceIsKept

        raise EvidenceIsKept()
class ExportLog(models.Model):  # 导出记录
    """Who took personal data out of the portal, when, what and with which filters.

    Written by every export path (the Exporter base, background exports, the admin's
    django-import-export exports) through `export_log_write`; never edited or deleted by staff.
    """

    user = models.ForeignKey(
        "auth.User", verbose_name=_("导出人"), on_delete=models.PROTECT, related_name="export_logs"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    what = models.CharField(_("导出内容"), max_length=100)
    source = models.CharField(_("来源"), max_length=200, help_text=_("导出程序或后台页面"))
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    file_format = models.CharField(_("格式"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at"], name="core_exportlog_at_idx"),
            models.Index(fields=["user", "-at"], name="core_exportlog_user_idx"),
        ]

    def __str__(self):
        return f"{self.what} · {self.at:%Y-%m-%d %H:%M}"


def import_file_path(instance, filename):
    return f"private/imports/{timezone.localdate():%Y/%m}/{filename}"


class ImportJob(models.Model):  # 后台导入任务
    """A staff import too large for one request, run by a Celery task (all or nothing).

    `importer` names a `apps.core.imports.TableImport` subclass. The uploaded file is deleted
    when the job ends; the report (counts and every problem by line) stays on the row.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已导入")
        REFUSED = "refused", _("有错误，未导入")
        CHECKED = "checked", _("检查通过（未导入）")
        FAILED = "failed", _("失败")

    owner = models.ForeignKey(
        "auth.User", verbose_name=_("导入人"), on_delete=models.CASCADE, related_name="import_jobs"
    )
    title = models.CharField(_("名称"), max_length=100)
    importer = models.CharField(_("导入类型"), max_length=200)
    file = models.FileField(_("文件"), upload_to=import_file_path, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    dry_run = models.BooleanField(_("只检查"), default=False)
    options = models.JSONField(_("导入选项"), default=dict, blank=True)  # the importer's own arguments, e.g. {"year": 2027}
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    report = models.JSONField(_("结果"), default=dict, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("后台导入")
        verbose_name_plural = _("后台导入")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="core_import_owner_idx")]

    def __str__(self):
        return f"{self.title} · {self.filename}"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.PENDING, self.Status.RUNNING)
