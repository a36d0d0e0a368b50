"""Reads shared by pages, admin and exports."""

from decimal import Decimal

from django.db.models import Count, Q, Sum

from .models import Competition, Event, Proposal, Registration

R = Registration.Status


def competitions_public():
    return (Competition.objects.filter(is_published=True).select_related("organiser")
            .annotate(event_count=Count("events")).order_by("-year", "-id"))


def events_for_competition(competition):
    """Events with their registered and waiting counts, in one query."""
    return (Event.objects.filter(competition=competition).prefetch_related("rounds")
            .annotate(registered=Count("registrations", filter=Q(registrations__status=R.REGISTERED)),
                      waiting=Count("registrations", filter=Q(registrations__status=R.WAITING)))
            .order_by("held_on", "id"))


def event_with_counts(pk: int):
    return (Event.objects.filter(pk=pk, competition__is_published=True).select_related("competition")
            .prefetch_related("rounds")
            .annotate(registered=Count("registrations", filter=Q(registrations__status=R.REGISTERED)),
                      waiting=Count("registrations", filter=Q(registrations__status=R.WAITING)))
            .first())


def event_results(event):
    """Ranked entrants of a published event, best first."""
    return (Registration.objects.filter(event=event, rank__isnull=False)
            .select_related("member__union").prefetch_related("scores__round").order_by("rank", "id"))


def registrations_for_member(member):
    return (Registration.objects.filter(member=member).select_related("event__competition")
            .prefetch_related("scores__round").order_by("-created_at", "-id"))


def proposals_for_member(member):
    return (Proposal.objects.filter(Q(member=member) | Q(co_authors=member)).distinct()
            .select_related("union").order_by("-submitted_at", "-id"))


def _published_studios():
    from django.db.models import Prefetch

    from apps.innovation.models import Studio

    return Prefetch("studios", queryset=Studio.objects.filter(is_published=True).only("id", "name").order_by("name"),
                    to_attr="published_studios")


def proposals_public():
    """Adopted proposals whose authors agreed, with the innovation studios they count for."""
    return (Proposal.objects.filter(status=Proposal.Status.ADOPTED, consent_public=True)
            .select_related("member", "union").prefetch_related("co_authors", _published_studios())
            .order_by("-reviewed_at", "-id"))


def proposal_studios(proposal):
    """The published innovation studios (apps.innovation) this proposal counts for."""
    return list(proposal.studios.filter(is_published=True).only("id", "name").order_by("name"))


def proposal_numbers(queryset, *, year: int, by: str = "union"):
    """Per union (or town/street) for `year`: submitted, adopted, adoption rate, benefit, awards."""
    field = {"union": "union__name", "town": "town_street__name"}[by]
    rows = (queryset.filter(year=year).values(field)
            .annotate(total=Count("id"), adopted=Count("id", filter=Q(status=Proposal.Status.ADOPTED)),
                      decided=Count("id", filter=~Q(status=Proposal.Status.SUBMITTED)),
                      benefit=Sum("benefit", filter=Q(status=Proposal.Status.ADOPTED)),
                      awards=Sum("award_amount", filter=Q(status=Proposal.Status.ADOPTED)))
            .order_by(field))
    result = []
    for row in rows:
        rate = ((Decimal(row["adopted"]) * 100 / row["decided"]).quantize(Decimal("0.1"))
                if row["decided"] else None)
        result.append({"name": row[field], "total": row["total"], "adopted": row["adopted"],
                       "decided": row["decided"], "rate": rate, "benefit": row["benefit"] or 0,
                       "awards": row["awards"] or 0})
    return result


def winners_published():
    """Prize winners and city titles of events whose results are published, as the honour
    rolls (apps.awards) and the winners page show them."""
    return (Registration.objects.filter(event__competition__is_published=True,
                                        event__results_published_at__isnull=False)
            .filter(~Q(award="") | ~Q(city_title="")))


def winners_public(year: int):
    """Prize winners and city titles of the events of `year` whose results are published."""
    return (winners_published().filter(event__competition__year=year)
            .select_related("member__union", "event__competition")
            .order_by("event__competition_id", "event_id", "rank", "id"))


def member_competition_honours(member):
    """The member's own published prizes and city titles, newest first."""
    return (winners_published().filter(member=member).select_related("event__competition")
            .order_by("-event__competition__year", "-event__held_on", "-id"))


# Dashboard figures
def competitions_year_figures(*, year: int, town: int | None = None) -> dict:
    """Per competition of `year`: events, registrations (withdrawn left out), workers taking
    part and awards by prize; and the year's proposals by status. Two queries."""
    from .models import Award

    registrations = Registration.objects.filter(event__competition__year=year).exclude(status=R.WITHDRAWN)
    proposals = Proposal.objects.filter(year=year)
    if town:
        registrations = registrations.filter(member__town_street_id=town)
        proposals = proposals.filter(town_street_id=town)
    prizes = {f"award_{value}": Count("id", filter=Q(award=value)) for value in Award.values}
    rows = list(
        registrations.values("event__competition_id", "event__competition__name").annotate(
            events=Count("event", distinct=True),
            registrations=Count("id"),
            workers=Count("member", distinct=True),
            awarded=Count("id", filter=~Q(award="")),
            **prizes,
        ).order_by("event__competition__name")
    )
    by_prize = [{"key": value, "label": str(label), "n": sum(r[f"award_{value}"] for r in rows)}
                for value, label in Award.choices]
    totals = proposals.aggregate(
        proposals=Count("id"),
        adopted=Count("id", filter=Q(status=Proposal.Status.ADOPTED)),
        benefit=Sum("benefit", filter=Q(status=Proposal.Status.ADOPTED)),
    )
    totals.update({
        "competitions": len(rows),
        "events": sum(r["events"] for r in rows),
        "registrations": sum(r["registrations"] for r in rows),
        "workers": registrations.values("member").distinct().count() if len(rows) > 1 else sum(r["workers"] for r in rows),
        "awarded": sum(r["awarded"] for r in rows),
    })
    return {"year": year, "by_competition": rows, "by_prize": by_prize, "totals": totals}
