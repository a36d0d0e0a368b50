"""Factories of competitions, events and proposals; dates relative to today in Yiwu."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from apps.competitions.models import Competition, Event, Proposal, Round


def today():
    return timezone.localdate()


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition

    name = factory.Sequence(lambda n: f"义乌市第十二届劳动技能竞赛{n}")
    year = factory.LazyFunction(lambda: today().year)
    one_event_only = True


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    competition = factory.SubFactory(CompetitionFactory)
    trade = "电工"
    name = factory.Sequence(lambda n: f"维修电工{n}")
    registration_opens = factory.LazyFunction(lambda: today() - datetime.timedelta(days=5))
    registration_closes = factory.LazyFunction(lambda: today() + datetime.timedelta(days=5))
    held_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=20))
    capacity = 10

    @factory.post_generation
    def rounds(self, create, extracted, **kwargs):
        if not create:
            return
        weights = extracted if extracted is not None else {"theory": Decimal("30"), "practical": Decimal("70")}
        for kind, weight in weights.items():
            Round.objects.create(event=self, kind=kind, weight=weight)


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    number = factory.Sequence(lambda n: f"JY{today().year}-{n + 900000:06d}")
    kind = Proposal.Kind.SUGGESTION
    title = factory.Sequence(lambda n: f"降低能耗建议{n}")
    problem = "空压机空转耗电"
    proposal = "加装变频器"
    expected_benefit = "每年节电约两万元"
    union = factory.LazyAttribute(lambda o: o.member.union)
    town_street = factory.LazyAttribute(lambda o: o.member.town_street)
    year = factory.LazyFunction(lambda: today().year)
