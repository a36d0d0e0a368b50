"""The year and town/street chosen on the dashboard: anything odd falls back to the default."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.validators import normalize_text
from apps.orgs.models import TownStreet

FIRST_YEAR = 2018  # the federation's first work report with these brands


@dataclass
class Filters:
    year: int
    town: TownStreet | None
    towns: list
    years: list
    errors: list

    def query(self) -> str:
        return f"year={self.year}" + (f"&town={self.town.pk}" if self.town else "")


def _int(value: str | None) -> int | None:
    text = normalize_text(value or "").strip()  # full-width digits become ASCII
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return None
    return int(text)


def filters_from(params, *, with_towns: bool = True) -> Filters:
    """The year and town/street asked for; `with_towns=False` for pages of the whole city."""
    today = timezone.localdate()
    years = list(range(today.year, FIRST_YEAR - 1, -1))
    errors = []
    year = today.year
    raw_year = params.get("year")
    if raw_year not in (None, ""):
        parsed = _int(raw_year)
        if parsed in years:
            year = parsed
        else:
            errors.append(_("年度无效，已显示%(year)d年。") % {"year": year})
    towns = list(TownStreet.objects.order_by("sort_order", "pk")) if with_towns else []
    town = None
    raw_town = params.get("town")
    if with_towns and raw_town not in (None, ""):
        parsed = _int(raw_town)
        town = next((t for t in towns if t.pk == parsed), None)
        if town is None:
            errors.append(_("镇街无效，已显示全市。"))
    return Filters(year=year, town=town, towns=towns, years=years, errors=errors)
