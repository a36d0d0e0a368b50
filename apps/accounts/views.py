from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.core.errors import DomainError

from .forms import (
    SEND_CODE,
    ClaimForm,
    LoginCodeForm,
    PasswordLoginForm,
    PasswordResetForm,
)

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request, default="members:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    """Members sign in with phone + SMS code (tab "code") or phone + password (tab "password")."""
    mode = request.POST.get("mode") or request.GET.get("mode") or "code"
    code_form = LoginCodeForm(request.POST if mode == "code" and request.method == "POST" else None, prefix="c")
    password_form = PasswordLoginForm(request.POST if mode == "password" and request.method == "POST" else None, prefix="p")
    if request.method == "POST":
        if mode == "code":
            if SEND_CODE in request.POST:
                code_form.send_code(request)
            elif code_form.is_valid():
                from apps.members.models import Member

                member = Member.objects.select_related("user").filter(
                    phone=code_form.cleaned_data["phone"], user__is_active=True
                ).first()
                if member is not None:
                    login(request, member.user, backend=BACKEND)
                    return redirect(_next_url(request))
                code_form.add_error(None, _("该手机号尚未开通会员账号，请先激活账号。"))
        elif password_form.is_valid():
            user = authenticate(
                request,
                username=password_form.cleaned_data["username"],
                password=password_form.cleaned_data["password"],
            )
            if user is not None and hasattr(user, "member"):
                login(request, user)
                return redirect(_next_url(request))
            password_form.add_error(None, _("手机号码或密码不正确。连续输错5次将锁定1小时。"))
    return render(
        request, "accounts/login.html",
        {"code_form": code_form, "password_form": password_form, "mode": mode, "next": _next_url(request, "")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def claim(request):
    """Activate the account of an existing member record: document + phone + code to that phone."""
    form = ClaimForm(request.POST or None)
    if request.method == "POST":
        if SEND_CODE in request.POST:
            form.send_code(request)
        elif form.is_valid():
            from apps.members.services import member_account_activate

            try:
                user = member_account_activate(member=form.claimed)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                login(request, user, backend=BACKEND)
                messages.success(request, _("账号已激活，欢迎使用义乌工会平台。"))
                return redirect("members:card")
    return render(request, "accounts/claim.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST":
        if SEND_CODE in request.POST:
            form.send_code(request)
        elif form.is_valid():
            from apps.members.models import Member

            member = Member.objects.select_related("user").filter(
                phone=form.cleaned_data["phone"], user__is_active=True
            ).first()
            if member is None:
                form.add_error(None, _("该手机号尚未开通会员账号，请先激活账号。"))
            else:
                member.user.set_password(form.cleaned_data["new_password2"])
                member.user.save(update_fields=["password"])
                messages.success(request, _("密码已重置，请用新密码登录。"))
                return redirect(f"{reverse_lazy('accounts:login')}?mode=password")
    return render(request, "accounts/password_reset.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("members:home")

    def get_form_class(self):
        from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm

        return PasswordChangeForm if self.request.user.has_usable_password() else SetPasswordForm

    def form_valid(self, form):
        messages.success(self.request, _("密码已保存。"))
        return super().form_valid(form)


password_change = login_required(PasswordChangeView.as_view())
