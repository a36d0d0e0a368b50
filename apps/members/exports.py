"""The full member list as Excel, built in the background for large selections."""

from django.utils.translation import gettext_lazy as _

from apps.core.exports import Exporter
from apps.core.masking import mask_document_number, mask_phone

from .access import member_queryset_for_staff
from .models import DocumentType, Member

# The changelist filters a background export may carry over (anything else is ignored).
ALLOWED_FILTERS = {
    "union__id__exact": "union_id",
    "town_street__id__exact": "town_street_id",
    "status__exact": "status",
}


class MemberExporter(Exporter):
    title = "会员名单"
    columns = [
        _("姓名"), _("性别"), _("证件类型"), _("证件号码"), _("手机号码"), _("所属工会"), _("工作单位"),
        _("所在镇街"), _("岗位"), _("入会日期"), _("会员号"), _("会籍状态"),
    ]

    def __init__(self, user, filters: dict | None = None):
        self.user = user
        self.filters = {
            ALLOWED_FILTERS[key]: value for key, value in (filters or {}).items() if key in ALLOWED_FILTERS
        }

    @classmethod
    def for_job(cls, user, params):
        return cls(user, params)

    def queryset(self):
        """The owner's own scope (officers: their unions), whatever the filters say."""
        return member_queryset_for_staff(self.user).filter(**self.filters)

    def rows(self):
        full = self.user.is_superuser or self.user.has_perm("members.view_full_document")
        genders = dict(Member.Gender.choices)
        documents = dict(DocumentType.choices)
        statuses = dict(Member.Status.choices)
        rows = self.queryset().order_by("id").values_list(
            "name", "gender", "document_type", "document_number", "phone", "union__name", "employer__name",
            "town_street__name", "job", "joined_on", "membership_number", "status",
        )
        for (name, gender, doc_type, number, phone, union, employer, town, job, joined, mnum, status) in rows.iterator(
            chunk_size=2000
        ):
            yield [
                name, genders.get(gender, gender), documents.get(doc_type, doc_type),
                number if full else mask_document_number(number), phone if full else mask_phone(phone),
                union, employer or "", town, job, joined, mnum or "", statuses.get(status, status),
            ]
