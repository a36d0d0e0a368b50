"""News (新闻动态) and notices (通知公告) written by the federation's departments.

An article goes draft → review → published (the department writes; 办公室 or 组织部 publishes).
Only drafts are edited: a published article is withdrawn with a reason and, to change it,
reopened as a draft and reviewed again; every move is a status-change row and every edit a
history record (django-simple-history). The body is stored sanitised (`apps.news.sanitize`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import StatusChange


class Kind(models.TextChoices):
    ARTICLE = "article", _("新闻动态")
    NOTICE = "notice", _("通知公告")


class Category(models.TextChoices):
    UNION = "union", _("工会动态")
    GRASSROOTS = "grassroots", _("基层风采")
    CRAFTSMEN = "craftsmen", _("劳模工匠")
    RIGHTS = "rights", _("维权服务")
    POLICY = "policy", _("政策法规")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    REVIEW = "review", _("待审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


def cover_path(instance, filename):
    return f"news/covers/{filename}"


def image_path(instance, filename):
    return f"news/images/{filename}"


def attachment_path(instance, filename):
    return f"news/attachments/{filename}"


class ArticleQuerySet(models.QuerySet):
    def public(self, now=None):
        """What the public sees: published, and its publish time has come."""
        return self.filter(status=Status.PUBLISHED, publish_at__lte=now or timezone.now())


class Article(models.Model):  # 新闻与通知
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    category = models.CharField(_("栏目"), max_length=20, choices=Category.choices, default=Category.UNION)
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(
        _("摘要"), max_length=200, blank=True, help_text=_("列表和分享时显示；留空则取正文开头")
    )
    body = models.TextField(_("正文"), help_text=_("保存时按白名单过滤"))
    department = models.CharField(_("撰稿部门"), max_length=30)
    cover = models.ImageField(_("封面图"), upload_to=cover_path, blank=True)
    cover_thumbnail = models.ImageField(_("封面缩略图"), upload_to=cover_path, blank=True)
    publish_at = models.DateTimeField(
        _("发布时间"), null=True, blank=True, help_text=_("留空则审核通过即发布；填将来的时间则到时自动公开")
    )
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    withdrawn_reason = models.CharField(_("撤回原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撰稿人"), on_delete=models.PROTECT, related_name="+",
        null=True, blank=True,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["cover_thumbnail", "updated_at"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("新闻与通知")
        verbose_name_plural = _("新闻与通知")
        ordering = ["-publish_at", "-id"]
        permissions = [("publish_article", _("Can publish and withdraw articles"))]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="news_public_idx"),
            models.Index(fields=["status", "kind", "-publish_at"], name="news_public_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False), name="news_published_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.publish_at is not None and self.publish_at <= timezone.now()


class ArticleImage(models.Model):  # 正文图片
    """A picture for an article's body, checked and re-encoded; the body refers to it by
    /news/images/<pk>/ (the sanitiser keeps no other image address)."""

    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("图片"), upload_to=image_path)
    caption = models.CharField(_("说明"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("正文图片")
        verbose_name_plural = _("正文图片")
        ordering = ["id"]

    def __str__(self):
        return self.caption or f"/news/images/{self.pk}/"


class ArticleAttachment(models.Model):  # 附件
    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=100)
    content_type = models.CharField(_("类型"), max_length=60, default="application/pdf")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self):
        return self.name


class ArticleStatusChange(StatusChange):  # 文章状态变更记录
    article = models.ForeignKey(
        Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)

    class Meta(StatusChange.Meta):
        verbose_name = _("状态变更记录")
        verbose_name_plural = _("状态变更记录")
