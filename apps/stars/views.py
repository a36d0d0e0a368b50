from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.core.cache import public_page

from . import selectors


@require_GET
@public_page("stars", "orgs")
def demonstration(request):
    """五星级示范工会 of one year (the newest by default), public."""
    years = selectors.demonstration_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year not in years:
        year = years[0] if years else None
    ratings = selectors.demonstration_unions(year=year) if year else []
    return render(request, "stars/demonstration.html", {"years": years, "year": year, "ratings": ratings})
