"""The public honour rolls: an index, one searchable roll per award, a page per entry."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.core.cache import public_page

from . import selectors
from .forms import RollFilterForm

PER_PAGE = 20


@require_GET
@public_page("awards", "orgs", "competitions")
def index(request):
    return render(request, "awards/index.html", {
        "rolls": selectors.roll_summaries(), "competition_roll": selectors.competition_roll_summary(),
    })


@require_GET
@public_page("competitions", "orgs")
def competition_roll(request):
    """The competitions' prize winners and city titles, on the honour rolls."""
    form = RollFilterForm(request.GET or None, years=selectors.competition_roll_years())
    form.fields["q"].widget.attrs["placeholder"] = _("竞赛、项目、工种、工会或称号")
    filters = form.filters() if form.is_bound else {"q": "", "year": None, "town": None}
    page = Paginator(selectors.competition_roll_entries(**filters), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "awards/competition_roll.html", {
        "info": selectors.COMPETITION_ROLL_INFO, "form": form, "filtered": any(filters.values()), "page": page,
        "elided_pages": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
    })


@require_GET
@public_page("awards", "orgs")
def roll(request, slug):
    kind = selectors.roll_kind_for_slug(slug)
    form = RollFilterForm(request.GET or None, years=selectors.roll_years(kind=kind))
    filters = form.filters() if form.is_bound else {"q": "", "year": None, "town": None}
    entries = selectors.roll_entries(kind=kind, **filters)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "awards/roll.html", {
        "info": selectors.ROLL_INFO[kind],
        "slug": slug,
        "form": form,
        "filtered": any(filters.values()),
        "page": page,
        "elided_pages": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
    })


@require_GET
@public_page("awards", "orgs", "innovation")
def entry(request, slug, pk):
    kind = selectors.roll_kind_for_slug(slug)
    item = selectors.public_entry_get(kind=kind, pk=pk)
    return render(request, "awards/entry.html", {
        "entry": item, "slug": slug, "info": selectors.ROLL_INFO[kind], "studios": selectors.entry_studios(item),
    })


@require_GET
def photo(request, pk, size):
    """The photo of a public entry; an unpublished entry's photo only to staff who may view it."""
    entries = selectors.entries_visible_to(request.user)
    item = entries.filter(pk=pk).select_related("programme").only(
        "photo", "photo_thumbnail", "is_published", "programme__is_published"
    ).first()
    field = None if item is None else (item.photo_thumbnail if size == "thumb" else item.photo)
    if not field:
        raise Http404("no photo")
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if item.is_public else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
