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
    """Base of every workflow's status-change row (who, when, from, to, note).

    A subclass adds the foreign key to its object and to the user who acted, and redeclares
    from_status/to_status with its workflow's choices.
    """

    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)

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
