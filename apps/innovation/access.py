"""The only ways pages fetch a team's application: each returns it or raises 404."""

from django.http import Http404

from .models import Application, BusinessPlan


def application_for_member(member, pk) -> Application:
    """An application the member is on the team of (404 for anyone else)."""
    application = (
        Application.objects.filter(pk=pk, team__member=member)
        .select_related("call", "industry", "lead").distinct().first()
    )
    if application is None:
        raise Http404
    return application


def application_for_lead(member, pk) -> Application:
    """An application whose lead is `member` (404 for the rest of the team and everyone else)."""
    application = Application.objects.filter(pk=pk, lead=member).select_related("call", "industry", "lead").first()
    if application is None:
        raise Http404
    return application


def plan_for_member(member, pk) -> BusinessPlan:
    plan = BusinessPlan.objects.filter(pk=pk, application__team__member=member).distinct().first()
    if plan is None:
        raise Http404
    return plan
