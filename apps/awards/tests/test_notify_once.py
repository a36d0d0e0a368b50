"""An award decision told twice reaches the nominator and the nominee once each, by the SMS
texts staff edited."""

import datetime

import pytest

from apps.awards import services
from apps.awards.models import NominationStatus
from apps.notify.models import Notification, SmsMessage
from apps.notify.texts import sms_template_get

from .test_nominations import _through_notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(staff_of):
    return staff_of("经济技术部")


def edit(key, text):
    template = sms_template_get(key)
    template.text = text
    template.save()


def test_an_award_told_twice_sends_one_message_each(officer, member, craftsman_programme, reviewer, draft_for):
    edit(services.SMS_NOMINATOR, "推荐进展：{name}{what}")
    edit(services.SMS_NOMINEE, "恭喜{name}，{programme}{what}")
    nomination, notice = _through_notice(officer, member, craftsman_programme, reviewer, draft_for)
    after = notice.ends_on + datetime.timedelta(days=1)
    awarded = services.nomination_transition(nomination=nomination, target=NominationStatus.AWARDED,
                                             actor=reviewer, today=after)
    services._tell(awarded, NominationStatus.AWARDED, "")  # the same decision saved again

    assert Notification.objects.filter(member=member, title__contains="已授予荣誉").count() == 1
    nominee = SmsMessage.objects.get(template_key=services.SMS_NOMINEE)
    assert nominee.phone == member.phone
    assert nominee.text.endswith(f"恭喜{nomination.nominee_name}，{craftsman_programme.title}已授予荣誉")
    told = SmsMessage.objects.filter(template_key=services.SMS_NOMINATOR, text__contains="已授予荣誉")
    assert told.count() == 1 and told.get().text.endswith(f"推荐进展：{nomination.nominee_name}已授予荣誉")
