"""Articles in admin: departments write drafts and send them for review; 办公室 / 组织部 publish,
send back or withdraw. Only drafts are editable (published text changes only through a new
review); moves go through `article_transition`, so each is checked and recorded."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts import roles
from apps.core.errors import DomainError
from apps.core.uploads import document_clean, photo_check, photo_clean

from .errors import EmptyBody
from .models import Article, ArticleAttachment, ArticleImage, ArticleStatusChange, Status
from .sanitize import body_clean, body_text
from .services import article_cover_set, article_image_add, article_save, article_transition
from .widgets import RichTextEditor
from .workflows import ARTICLE_FLOW, move_label

CONTENT_FIELDS = ["kind", "category", "title", "summary", "body", "department", "publish_at"]
WRITING_GROUPS = [roles.OFFICE, roles.ORGANISATION, roles.RIGHTS, roles.ECONOMIC, roles.AID, roles.MUTUAL_AID,
                  roles.COUNSELLING]

BODY_HELP = _(
    "可用小标题、加粗、链接、引用和列表；图片用“插入图片”按钮或拖入编辑框（草稿保存后才能插入，自动检查并缩放）。"
    "附件请在下方“附件”中上传。脚本、事件属性、样式和外站图片在保存时会被去掉。"
)


def _is_draft(obj) -> bool:
    return obj is None or obj.status == Status.DRAFT


class ArticleAdminForm(forms.ModelForm):
    department = forms.ChoiceField(label=_("撰稿部门"), choices=[(g, g) for g in WRITING_GROUPS])
    cover_upload = forms.FileField(
        label=_("上传封面图"), required=False, help_text=_("JPEG、PNG 或 WebP；自动缩放"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    move_to = forms.ChoiceField(label=_("办理"), required=False)
    move_reason = forms.CharField(
        label=_("原因"), required=False, max_length=200, help_text=_("退回修改、撤回时必填，记录在案")
    )

    class Meta:
        model = Article
        fields = CONTENT_FIELDS
        widgets = {"body": RichTextEditor()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.status if self.instance.pk else None
        moves = ARTICLE_FLOW.moves_for(self.instance, current, self.actor) if current else []
        self.fields["move_to"].choices = [("", gettext("—— 不变更 ——"))] + [
            (m.target, move_label(current, m.target)) for m in moves
        ]
        if "body" in self.fields:
            self.fields["body"].help_text = BODY_HELP
            if self.instance.pk and _is_draft(self.instance):
                self.fields["body"].widget.upload_url = reverse("admin:news_article_body_image", args=[self.instance.pk])
        if "department" in self.fields and not self.instance.pk:
            groups = [g for g in WRITING_GROUPS if roles.user_in_group(self.actor, g)]
            if groups:
                self.fields["department"].initial = groups[0]

    def clean_body(self):
        cleaned = body_clean(self.cleaned_data.get("body") or "")
        if not body_text(cleaned) and "<img" not in cleaned:
            raise ValidationError(EmptyBody.message)
        return cleaned

    def clean_cover_upload(self):
        upload = self.cleaned_data.get("cover_upload")
        if upload:
            photo_check(upload)  # a fake, oversize or bomb file gets its Chinese message here
        return upload


class ArticleImageForm(forms.ModelForm):
    class Meta:
        model = ArticleImage
        fields = ["image", "caption"]

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload and not getattr(upload, "_committed", False) and hasattr(upload, "content_type"):
            return photo_clean(upload).image  # checked, resized and re-encoded before it is stored
        return upload


class ArticleAttachmentForm(forms.ModelForm):
    class Meta:
        model = ArticleAttachment
        fields = ["file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):
            clean = document_clean(upload)
            self.instance.name = clean.original_name
            self.instance.content_type = clean.content_type
            return clean.content
        return upload


class DraftOnlyInline:
    """Pictures and attachments change the public page: only on drafts."""

    extra = 1

    def has_add_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_delete_permission(request, obj)


class ArticleImageInline(DraftOnlyInline, admin.TabularInline):
    model = ArticleImage
    form = ArticleImageForm
    fields = ["image", "caption", "snippet"]
    readonly_fields = ["snippet"]

    @admin.display(description=_("正文中引用的代码"))
    def snippet(self, obj):
        if not obj or not obj.pk:
            return gettext("保存后显示")
        url = reverse("news:image", kwargs={"pk": obj.pk})
        return format_html('<code>&lt;img src="{}" alt="{}"&gt;</code>', url, obj.caption)


class ArticleAttachmentInline(DraftOnlyInline, admin.TabularInline):
    model = ArticleAttachment
    form = ArticleAttachmentForm
    fields = ["file", "name"]
    readonly_fields = ["name"]


class ArticleStatusChangeInline(admin.TabularInline):
    model = ArticleStatusChange
    fields = ["at", "from_status", "to_status", "actor", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = ["title", "kind", "category", "department", "status", "publish_at", "is_live"]
    list_filter = ["status", "kind", "category", "department"]
    search_fields = ["title"]
    date_hierarchy = "publish_at"
    list_per_page = 50
    show_full_result_count = False
    actions = ["send_for_review", "publish"]

    def get_fieldsets(self, request, obj=None):
        content = [*CONTENT_FIELDS[:5], "cover_preview", "cover_upload", *CONTENT_FIELDS[5:]]
        if not _is_draft(obj):
            content = [f for f in content if f != "cover_upload"]
        if self._content_readonly(request, obj):
            content = ["body_preview" if f == "body" else f for f in content]  # the text as the page shows it
        fieldsets = [(_("内容"), {"fields": content})]
        if obj is not None:
            fieldsets.append((_("审核发布"), {"fields": [
                "status", "withdrawn_reason", "public_link", "move_to", "move_reason",
            ]}))
        return fieldsets

    def _content_readonly(self, request, obj) -> bool:
        return not _is_draft(obj) or (obj is not None and not self.has_change_permission(request, obj))

    def get_readonly_fields(self, request, obj=None):
        fixed = ["cover_preview", "status", "withdrawn_reason", "public_link"]
        if self._content_readonly(request, obj):
            return [*CONTENT_FIELDS, "body_preview", *fixed]
        return fixed

    @admin.display(description=_("正文"))
    def body_preview(self, obj):
        # stored sanitised; cleaned again here (the nh3 allow-list) so the admin never trusts the column alone
        return mark_safe(f'<div class="news-body-preview" lang="zh-Hans">{body_clean(obj.body)}</div>')  # noqa: S308  # nosec B308, B703

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user  # moves_for needs who asks (a fresh class per request)
        return form

    def get_urls(self):
        own = [path("<path:object_id>/body-image/", self.admin_site.admin_view(self.body_image_view),
                     name="news_article_body_image")]
        return own + super().get_urls()

    def body_image_view(self, request, object_id):
        """A picture from the body's editor: checked, resized and stored as the article's
        ArticleImage; answers its address as JSON. Only a draft the user may change."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_change_permission(request, article) or not _is_draft(article):
            raise PermissionDenied
        upload = request.FILES.get("file")
        if upload is None:
            return JsonResponse({"error": gettext("请选择一张图片。")}, status=400)
        try:
            picture = article_image_add(article=article, upload=upload, caption=request.POST.get("caption", ""))
        except ValidationError as exc:
            return JsonResponse({"error": " ".join(exc.messages)}, status=400)
        return JsonResponse({
            "url": reverse("news:image", kwargs={"pk": picture.pk}), "pk": picture.pk,
            "width": picture.image.width, "height": picture.image.height,
        })

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        return [ArticleImageInline, ArticleAttachmentInline, ArticleStatusChangeInline]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and _is_draft(obj)  # published items are withdrawn, never deleted

    @admin.display(boolean=True, description=_("已公开"))
    def is_live(self, obj):
        return obj.is_public

    @admin.display(description=_("封面图"))
    def cover_preview(self, obj):
        if not obj or not obj.cover_thumbnail:
            return "—"
        return format_html('<img src="{}" alt="" height="90">', reverse("news:cover_thumb", kwargs={"pk": obj.pk}))

    @admin.display(description=_("公开页面"))
    def public_link(self, obj):
        if not obj.is_public:
            return gettext("未公开")
        url = reverse("news:detail", kwargs={"pk": obj.pk})
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

    def save_model(self, request, obj, form, change):
        if not change or any(name in form.changed_data for name in CONTENT_FIELDS):
            try:
                article_save(article=obj, actor=request.user)
            except DomainError as exc:
                messages.error(request, exc.message)
                return
        upload = form.cleaned_data.get("cover_upload")
        if upload and obj.pk:
            article_cover_set(article=obj, upload=upload)
        target = form.cleaned_data.get("move_to")
        if target and obj.pk:
            try:
                article_transition(article=obj, target=target, actor=request.user,
                                   reason=form.cleaned_data.get("move_reason") or "")
            except DomainError as exc:
                messages.error(request, exc.message)

    def _move(self, request, queryset, target):
        moved = 0
        for article in queryset:
            try:
                article_transition(article=article, target=target, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{article.title}：{exc.message}", messages.ERROR)
            else:
                moved += 1
        if moved:
            self.message_user(
                request, gettext("%(n)d 篇已变更为“%(status)s”。") % {"n": moved, "status": Status(target).label},
                messages.SUCCESS,
            )

    @admin.action(description=_("送审"), permissions=["change"])
    def send_for_review(self, request, queryset):
        self._move(request, queryset, Status.REVIEW)

    @admin.action(description=_("审核通过并发布"), permissions=["publish"])
    def publish(self, request, queryset):
        self._move(request, queryset, Status.PUBLISHED)

    def has_publish_permission(self, request):
        return request.user.has_perm("news.publish_article")
