"""A review decision told twice reaches each author once, by the SMS text staff edited."""

import pytest

from apps.competitions.models import Proposal
from apps.competitions.services import SMS_PROPOSAL, proposal_tell, proposal_transition
from apps.notify.models import Notification, SmsMessage
from apps.notify.texts import sms_template_get
from tests.factories import MemberFactory

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db
S = Proposal.Status


def test_a_decision_told_twice_sends_each_author_one_message(member, staff_of):
    template = sms_template_get(SMS_PROPOSAL[S.NOT_ADOPTED])
    template.text = "{number}未采纳：{reason}"
    template.save()
    mate = MemberFactory(union=member.union, user=None)
    proposal = ProposalFactory(member=member)
    proposal.co_authors.add(mate)

    proposal_transition(proposal=proposal, target=S.NOT_ADOPTED, actor=staff_of("经济技术部"), reason="成本过高")
    proposal.refresh_from_db()
    proposal_tell(proposal, S.NOT_ADOPTED)  # the same decision saved again

    for author in (member, mate):
        assert Notification.objects.filter(member=author, title="合理化建议评审结果").count() == 1
        sms = SmsMessage.objects.get(phone=author.phone, template_key=SMS_PROPOSAL[S.NOT_ADOPTED])
        assert sms.text.endswith(f"{proposal.number}未采纳：成本过高")
