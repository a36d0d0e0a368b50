from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.otp import client_ip
from apps.core.cache import public_page
from apps.core.errors import DomainError

from .forms import ObjectionForm
from .models import NoticeKind
from .selectors import notice_public_get, notices_public
from .services import objection_submit


@require_GET
@public_page("notices")
def notice_list(request):
    kind = request.GET.get("kind", "")
    if kind not in NoticeKind.values:
        kind = ""
    paginator = Paginator(notices_public(kind=kind), 20)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "notices/list.html", {"page": page, "kind": kind, "kinds": NoticeKind.choices})


def notice_detail(request, pk: int):
    notice = notice_public_get(pk)
    if notice is None:
        raise Http404
    form = ObjectionForm(request.POST or None, notice=notice)
    if request.method == "POST" and form.is_valid():
        try:
            objection_submit(
                notice=notice, item=form.cleaned_data["item"], content=form.cleaned_data["content"],
                contact=form.cleaned_data["contact"], client_ip=client_ip(request),
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("您的异议已收到，工作人员将在核实后联系您。"))
            return redirect("notices:detail", pk=notice.pk)
    return render(request, "notices/detail.html", {"notice": notice, "form": form, "running": notice.is_running()})
