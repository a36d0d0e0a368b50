"""A decision on an aid application told twice reaches the member once, by the SMS text staff
edited; a second return after resubmission is a new decision, told again."""

import pytest

from apps.aid.models import Status
from apps.aid.services import SMS_APPLICATION, _member_tell, application_transition
from apps.notify.models import Notification, SmsMessage
from apps.notify.texts import sms_template_get

from .conftest import submitted_student

pytestmark = pytest.mark.django_db


def test_a_return_told_twice_sends_one_message_by_the_edited_template(member, officer, student_aid):
    template = sms_template_get(SMS_APPLICATION[Status.RETURNED])
    template.text = "申请{number}退回：{reason}"
    template.save()
    application = submitted_student(member, student_aid)
    application = application_transition(application=application, target=Status.RETURNED, actor=officer,
                                         reason="请补充学籍证明")
    _member_tell(application)  # the same decision saved again

    returned = Notification.objects.filter(member=member, title="救助申请被退回补充材料")
    sms = SmsMessage.objects.filter(template_key=SMS_APPLICATION[Status.RETURNED])
    assert returned.count() == 1 and sms.count() == 1
    assert sms.get().text.endswith(f"申请{application.number}退回：请补充学籍证明")

    application = application_transition(application=application, target=Status.SUBMITTED, actor=member.user)
    application_transition(application=application, target=Status.RETURNED, actor=officer, reason="请补充户口本")
    assert returned.count() == 2 and sms.count() == 2
