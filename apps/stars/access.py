"""Who may see which star evaluation and evidence: officers their own union, staff by permission."""

from django.http import Http404

from apps.orgs.models import GrassrootsUnion
from apps.orgs.selectors import officer_union_ids

from .models import EvaluationEvidence


def officer_unions(user) -> list[GrassrootsUnion]:
    return list(GrassrootsUnion.objects.filter(pk__in=officer_union_ids(user)).order_by("name"))


def officer_union_pick(user, unions: list[GrassrootsUnion], raw) -> GrassrootsUnion | None:
    """The union asked for (or the officer's first); None when it is not one of theirs."""
    if raw in (None, ""):
        return unions[0]
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return None
    return next((u for u in unions if u.pk == pk), None)


def staff_may_view(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff and user.has_perm("stars.view_evaluation")


def evidence_for_user(user, pk: int) -> EvaluationEvidence:
    """One evidence file for its union's officer or star-rating staff; 404 for everyone else."""
    evidence = EvaluationEvidence.objects.select_related("score__evaluation").filter(pk=pk).first()
    if evidence is None or not user.is_authenticated:
        raise Http404("no such evidence")
    if staff_may_view(user) or evidence.score.evaluation.union_id in officer_union_ids(user):
        return evidence
    raise Http404("no such evidence")
