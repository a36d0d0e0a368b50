"""The two spreadsheets of competitions, on the shared import machinery (apps.core.imports):
an officer's list of entrants (bulk registration) and the judges' score sheet.

`TableImport` reads the file (xlsx, or CSV in UTF-8/GBK), finds the header under title rows,
accepts the offices' own column names, normalises full-width digits and numeric ID cells, and
reports problems as "第 N 行【列】：…"; a file with any problem writes nothing. These classes
only say which columns they read, check each row, and write through the services.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import DomainError
from apps.core.imports import CellError, Column, Problem, TableImport, cell_document_number, cell_text, nfkc

from .models import CertificateLevel, Event, Registration, Round, Score

ID_SYNONYMS = ("身份证号", "身份证号码", "身份证", "公民身份号码", "证件号", "证件号码(身份证号)")
NAME_SYNONYMS = ("名字", "参赛者姓名", "选手姓名", "职工姓名")

# Certificate levels as people write them (高级工, 三级, 高级工（三级）…).
LEVEL_WORDS = {
    "": CertificateLevel.NONE, "无": CertificateLevel.NONE,
    "初级": CertificateLevel.JUNIOR, "初级工": CertificateLevel.JUNIOR, "五级": CertificateLevel.JUNIOR,
    "中级": CertificateLevel.MIDDLE, "中级工": CertificateLevel.MIDDLE, "四级": CertificateLevel.MIDDLE,
    "高级": CertificateLevel.SENIOR, "高级工": CertificateLevel.SENIOR, "三级": CertificateLevel.SENIOR,
    "技师": CertificateLevel.TECHNICIAN, "二级": CertificateLevel.TECHNICIAN,
    "高级技师": CertificateLevel.SENIOR_TECHNICIAN, "一级": CertificateLevel.SENIOR_TECHNICIAN,
}


def cell_certificate_level(value) -> int:
    """A certificate level cell (blank is none); an unknown word is a problem of the cell."""
    text = "".join(cell_text(value).split())
    if text in LEVEL_WORDS:
        return int(LEVEL_WORDS[text])
    for level in CertificateLevel:
        if text == "".join(nfkc(str(level.label)).split()):
            return int(level.value)
    raise CellError(_("证书等级“%(text)s”无法识别，可填：无、初级工、中级工、高级工、技师、高级技师（或五级至一级）。")
                    % {"text": text})


def cell_points(value) -> Decimal | None:
    """A score: a number not below 0 with at most two decimals (full-width digits accepted);
    blank is None (that round's score is left as it was)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(value)
    else:
        text = "".join(cell_text(value).split())
    if text == "":
        return None
    try:
        points = Decimal(text)
    except InvalidOperation:
        raise CellError(_("成绩“%(text)s”不是数字。") % {"text": text}) from None
    if not points.is_finite() or points < 0 or points != points.quantize(Decimal("0.01")):
        raise CellError(_("成绩“%(text)s”应为不小于 0、最多两位小数的数字。") % {"text": text})
    return points.quantize(Decimal("0.01"))


class _EventImport(TableImport):
    max_rows = 2000

    def __init__(self, *, event: Event, user=None):
        super().__init__(user=user)
        self.event = event

    def _check_duplicates(self, row, problem):
        number = row.values["document_number"]
        if not number:
            return
        if number in self.seen:
            problem("document_number", _("与第 %(line)d 行的证件号码重复。") % {"line": self.seen[number]})
        self.seen.setdefault(number, row.line)

    def _check_name(self, row, member, problem):
        name = "".join((row.values.get("name") or "").split())
        if member is not None and name and name != "".join(member.name.split()):
            problem("name", _("姓名与会员资料不符（资料中为 %(name)s）。") % {"name": member.name})


class EntrantImport(_EventImport):
    """An officer's list of their union's entrants for one event: each row goes through
    `registration_create` (the same eligibility checks and the same place lock as a member's
    own registration). A member outside `union_ids` is a problem of the row, never registered."""

    title = _("竞赛报名名单")
    columns = [
        Column("document_number", _("证件号码"), ID_SYNONYMS, required=True, clean=cell_document_number,
               help=_("参赛会员的18位身份证号；请把这一列设为“文本”格式。"), example="330782199001011234"),
        Column("name", _("姓名"), NAME_SYNONYMS,
               help=_("选填；填写时须与会员资料一致。"), example="张三"),
        Column("certificate_level", _("证书等级"), ("技能等级", "职业资格等级", "资格等级", "等级"),
               clean=cell_certificate_level,
               help=_("无、初级工、中级工、高级工、技师、高级技师，或五级至一级；留空为无。"), example="高级工"),
    ]

    def __init__(self, *, event: Event, union_ids, user=None):
        super().__init__(event=event, user=user)
        self.union_ids = list(union_ids)

    def prepare(self, rows):
        from apps.members.models import Member

        numbers = {r.values["document_number"] for r in rows if r.values["document_number"]}
        self.members = {
            m.document_number.upper(): m
            for m in Member.objects.filter(document_number__in=numbers, union_id__in=self.union_ids)
        }
        self.seen = {}

    def clean_row(self, row, problem):
        from .services import registration_eligibility_check

        self._check_duplicates(row, problem)
        number = row.values["document_number"]
        if not number:
            return
        member = self.members.get(number.upper())
        if member is None:
            problem("document_number", _("本工会没有证件号码为 %(number)s 的会员。") % {"number": number})
            return
        self._check_name(row, member, problem)
        level = row.values["certificate_level"] or CertificateLevel.NONE
        try:
            registration_eligibility_check(event=self.event, member=member, certificate_level=level)
        except DomainError as error:
            problem("document_number", error.message)
        row.values["_member"] = member

    def write(self, rows, report):
        """Register every row; a refusal met only now (the last places, the one-event rule,
        a registration made meanwhile) becomes that row's problem and nothing is kept."""
        from .services import registration_create

        problems = []
        for row in rows:
            try:
                with transaction.atomic():
                    registration_create(event=self.event, member=row.values["_member"], actor=self.user,
                                        certificate_level=row.values["certificate_level"] or CertificateLevel.NONE)
            except DomainError as error:
                problems.append(Problem(row.line, "", error.message))
            else:
                report.created += 1
        self.written(len(rows))
        if problems:
            transaction.set_rollback(True)
            report.created = 0
            report.problems = problems


class ScoreImport(_EventImport):
    """The judges' sheet for one event: ID number, optional name, theory and practical scores.
    A blank score leaves that round's score as it was. Refused once the results are published."""

    title = _("评委评分表")
    columns = [
        Column("document_number", _("证件号码"), ID_SYNONYMS, required=True, clean=cell_document_number,
               help=_("参赛者的18位身份证号；请把这一列设为“文本”格式。"), example="330782199001011234"),
        Column("name", _("姓名"), NAME_SYNONYMS, help=_("选填；填写时须与会员资料一致。"),
               example="张三"),
        Column(Round.Kind.THEORY, _("理论"), ("理论成绩", "理论得分", "理论考试", "应知"), clean=cell_points,
               help=_("理论环节得分，不超过满分；留空则不改。"), example="86.5"),
        Column(Round.Kind.PRACTICAL, _("实操"), ("实操成绩", "实操得分", "技能操作", "操作", "应会"),
               clean=cell_points, help=_("实操环节得分，不超过满分；留空则不改。"), example="90"),
    ]

    def prepare(self, rows):
        numbers = {r.values["document_number"] for r in rows if r.values["document_number"]}
        self.rounds = {r.kind: r for r in Round.objects.filter(event=self.event)}
        self.registrations = {
            reg.member.document_number.upper(): reg
            for reg in Registration.objects.filter(
                event=self.event, status=Registration.Status.REGISTERED, member__document_number__in=numbers,
            ).select_related("member")
        }
        self.seen = {}

    def clean_row(self, row, problem):
        self._check_duplicates(row, problem)
        number = row.values["document_number"]
        registration = self.registrations.get(number.upper()) if number else None
        if number and registration is None:
            problem("document_number", _("证件号码 %(number)s 不是本项目的参赛者。") % {"number": number})
        if registration is not None:
            self._check_name(row, registration.member, problem)
        for kind, label in Round.Kind.choices:
            points = row.values.get(kind)
            if points is None:
                continue
            rnd = self.rounds.get(kind)
            if rnd is None:
                problem(kind, _("本项目没有%(round)s环节。") % {"round": label})
            elif points > rnd.full_marks:
                problem(kind, _("%(round)s成绩超过满分 %(full)s。") % {"round": label, "full": rnd.full_marks})
        row.values["_registration"] = registration

    def write(self, rows, report):
        from .errors import ResultsAlreadyPublished

        event = Event.objects.select_for_update().get(pk=self.event.pk)
        if event.results_published:
            report.problems = [Problem(None, "", ResultsAlreadyPublished().message)]
            transaction.set_rollback(True)
            return
        for row in rows:
            for kind, rnd in self.rounds.items():
                points = row.values.get(kind)
                if points is None:
                    continue
                _score, created = Score.objects.update_or_create(
                    registration=row.values["_registration"], round=rnd,
                    defaults={"points": points, "entered_by": self.user, "entered_at": timezone.now()},
                )
                if created:
                    report.created += 1
                else:
                    report.updated += 1
        self.written(len(rows))
