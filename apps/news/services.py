"""Writing, moving and illustrating articles: every entry point (admin, demo) goes through here."""

from django.db import transaction
from django.utils import timezone

from apps.core.cache import public_data_changed
from apps.core.uploads import document_clean, photo_clean

from .errors import EmptyBody, OnlyDraftsEdited
from .models import Article, ArticleAttachment, ArticleImage, ArticleStatusChange, Status
from .sanitize import body_clean, body_text
from .workflows import ARTICLE_FLOW

EDITABLE_FIELDS = ("kind", "category", "title", "summary", "body", "department", "publish_at")


def article_save(*, article: Article, actor, fields=EDITABLE_FIELDS) -> Article:
    """Store a draft: the body sanitised, the summary filled from it when blank. Refuses any
    article that is not a draft (OnlyDraftsEdited): published text changes only through a new review."""
    if article.pk:
        current = Article.objects.filter(pk=article.pk).values_list("status", flat=True).first()
        if current is not None and current != Status.DRAFT:
            raise OnlyDraftsEdited()
    article.body = body_clean(article.body)
    if not body_text(article.body) and "<img" not in article.body:
        raise EmptyBody()
    if not article.summary.strip():
        article.summary = body_text(article.body, 120)
    if article.created_by_id is None and actor is not None and actor.is_authenticated:
        article.created_by = actor
    article._history_user = actor
    article.save()
    return article


def article_transition(*, article: Article, target: str, actor, reason: str = "") -> Article:
    """Move `article` to `target` (ARTICLE_FLOW checks who may and what is needed) and record it.
    Publishing without a publish time publishes now; a future time is kept (scheduled)."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        current = locked.status
        ARTICLE_FLOW.check(obj=locked, current=current, target=target, actor=actor, details={"reason": reason})
        locked.status = target
        if target == Status.PUBLISHED:
            locked.publish_at = locked.publish_at or timezone.now()
            locked.withdrawn_reason = ""
        if target == Status.WITHDRAWN:
            locked.withdrawn_reason = reason.strip()[:200]
        locked._history_user = actor
        locked.save(update_fields=["status", "publish_at", "withdrawn_reason", "updated_at"])
        ArticleStatusChange.objects.create(
            article=locked, from_status=current, to_status=target, actor=actor, note=reason.strip(),
        )
        public_data_changed("news")
    article.refresh_from_db()
    return article


def article_cover_set(*, article: Article, upload) -> Article:
    """Check `upload` by content (ValidationError with a Chinese message) and store it resized,
    with a thumbnail; the previous files go after commit."""
    clean = photo_clean(upload)
    old = [name for name in (article.cover.name, article.cover_thumbnail.name) if name]
    with transaction.atomic():
        article.cover.save(clean.image.name, clean.image, save=False)
        article.cover_thumbnail.save(clean.thumbnail.name, clean.thumbnail, save=False)
        Article.objects.filter(pk=article.pk).update(cover=article.cover.name, cover_thumbnail=article.cover_thumbnail.name)
        public_data_changed("news")
        storage = article.cover.storage
        for name in old:
            transaction.on_commit(lambda name=name: storage.delete(name))
    return article


def article_image_add(*, article: Article, upload, caption: str = "") -> ArticleImage:
    """A body picture, checked and re-encoded; the body refers to it as /news/images/<pk>/."""
    clean = photo_clean(upload)
    image = ArticleImage(article=article, caption=caption[:100])
    image.image.save(clean.image.name, clean.image, save=False)
    image.save()
    return image


def article_attachment_add(*, article: Article, upload) -> ArticleAttachment:
    """An attachment (PDF or picture), checked by content and re-encoded."""
    clean = document_clean(upload)
    attachment = ArticleAttachment(article=article, name=clean.original_name[:100], content_type=clean.content_type)
    attachment.file.save(clean.content.name, clean.content, save=False)
    attachment.save()
    return attachment
