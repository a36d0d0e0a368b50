"""A decision told twice reaches the lead once, by the SMS text staff edited in admin."""

import pytest

from apps.innovation.models import Status
from apps.innovation.services import SMS_DECISION, application_tell, application_transition
from apps.notify.models import Notification, SmsMessage
from apps.notify.texts import sms_template_get

from .conftest import make_application

pytestmark = pytest.mark.django_db


def test_a_return_told_twice_sends_one_message_by_the_edited_template(call, member, economic):
    template = sms_template_get(SMS_DECISION[Status.RETURNED])
    template.text = "项目{name}退回，请按“{reason}”修改"
    template.save()
    application = make_application(call, member, status=Status.RETURNED, staff=economic)

    application_tell(application, Status.RETURNED, "请补充财务测算")  # the same decision saved again

    returned = Notification.objects.filter(member=member, title="众创空间入驻申请退回修改")
    assert returned.count() == 1
    sms = SmsMessage.objects.filter(template_key=SMS_DECISION[Status.RETURNED])
    assert sms.count() == 1
    assert sms.get().text.endswith("项目智能袜机物联网改造退回，请按“请补充财务测算”修改")

    # Resubmitted and returned again: a new decision, told once more.
    application_transition(application=application, target=Status.SUBMITTED, actor=member.user)
    application_transition(application=application, target=Status.RETURNED, actor=economic, reason="请补充团队简历")
    assert returned.count() == 2 and sms.count() == 2
