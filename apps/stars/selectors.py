"""Reads of star ratings for the public list and the admin."""

from django.db.models import QuerySet

from .models import StarRating


def demonstration_years() -> list[int]:
    return list(
        StarRating.objects.filter(is_demonstration=True).order_by("-year").values_list("year", flat=True).distinct()
    )


def demonstration_unions(*, year: int) -> QuerySet[StarRating]:
    """The five-star demonstration unions of one year, with their town/street, by name."""
    return (
        StarRating.objects.filter(is_demonstration=True, year=year)
        .select_related("union__town_street").order_by("union__town_street__sort_order", "union__name")
    )
