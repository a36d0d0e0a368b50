"""A claim's decision told twice reaches the member once, by the SMS text staff edited; a second
return after resubmission is a new decision, told again."""

import pytest

from apps.mutualaid.models import Status
from apps.mutualaid.services import SMS_CLAIM, _member_tell, claim_transition
from apps.notify.models import Notification, SmsMessage
from apps.notify.texts import sms_template_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolled(member, enrol):
    enrol(member)
    return member


def test_a_return_told_twice_sends_one_message_by_the_edited_template(enrolled, make_claim, mutual_office):
    template = sms_template_get(SMS_CLAIM[Status.RETURNED])
    template.text = "{number}请补：{note}"
    template.save()
    claim = make_claim(enrolled, status=Status.RETURNED)
    _member_tell(claim, Status.RETURNED, {"note": "材料不全"})  # the same decision saved again

    returned = Notification.objects.filter(member=enrolled, title="互助金申请需补充材料")
    sms = SmsMessage.objects.filter(template_key=SMS_CLAIM[Status.RETURNED])
    assert returned.count() == 1 and sms.count() == 1
    assert sms.get().text.endswith(f"{claim.number}请补：材料不全")

    claim = claim_transition(claim=claim, target=Status.SUBMITTED, actor=enrolled.user)
    claim_transition(claim=claim, target=Status.RETURNED, actor=mutual_office, note="缺出院小结")
    assert returned.count() == 2 and sms.count() == 2
