"""Demo articles about the federation's 2018 work (facts from its 2018 work report, retold)."""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from apps.accounts import roles

from .models import Article, Category, Kind, Status
from .services import article_save, article_transition


def _at(year, month, day, hour=9):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


ARTICLES = [
    {
        "title": "市总工会十七届九次全委（扩大）会议召开",
        "kind": Kind.ARTICLE, "category": Category.UNION, "department": roles.OFFICE, "at": _at(2018, 3, 9, 16),
        "body": (
            "<p>3月9日，市总工会在市委党校召开十七届九次全委（扩大）会议。市总工会主席刘金土代表常委会作工作报告，"
            "题为《深化改革创新 全面履行职能 为高水平建成世界“小商品之都”建功立业》；市委常委、副市长王新锋到会讲话。</p>"
            "<h2>四个“着力”</h2>"
            "<ul><li>着力深化工会改革</li><li>着力维护职工权益</li><li>着力强化基层基础</li><li>着力提升服务实效</li></ul>"
            "<p>会议要求各级工会围绕全市中心工作，团结动员全市职工，为高水平建成世界“小商品之都”作出新贡献，"
            "努力建设引导力、创造力、服务力、凝聚力、战斗力兼备的“五力”工会。</p>"
        ),
    },
    {
        "title": "2018年义乌工会“十大工作品牌”出炉",
        "kind": Kind.ARTICLE, "category": Category.UNION, "department": roles.OFFICE, "at": _at(2018, 3, 12),
        "body": (
            "<p>今年市总工会将集中力量做好做强十项工作品牌：</p>"
            "<ol><li>工会社会化维权</li><li>“星级工会”创建</li><li>劳动和技能竞赛</li><li>“义乌工匠”培育</li>"
            "<li>“工人先锋号”创建</li><li>职工众创空间建设</li><li>“送温暖”工程</li><li>职工医疗互助保障</li>"
            "<li>职工“心灵港湾工作室”建设</li><li>网上工会建设</li></ol>"
            "<h2>网上工会</h2><p>推进“五个一”网上服务平台建设，提升市总工会网站、职工创新创业网上服务平台和"
            "“义乌工会”微信公众号的服务功能，加快工会信息数据库建设和电子会员证的制作发放。</p>"
        ),
    },
    {
        "title": "第二届“义乌工匠”评选活动启动",
        "kind": Kind.ARTICLE, "category": Category.CRAFTSMEN, "department": roles.ECONOMIC, "at": _at(2018, 4, 20),
        "body": (
            "<p>市总工会今年开展第二届“义乌工匠”评选，并将大力宣传工匠的先进事迹，"
            "让“义乌工匠”在职工创新创业中发挥示范引领作用。</p>"
            "<p>同时，市第十二届劳动技能竞赛和基层职业技能竞赛将陆续举办，技术创新、技能帮扶、技术比武、"
            "合理化建议等活动也将广泛开展。</p>"
        ),
    },
    {
        "title": "“监督四季行”：一年四季查什么",
        "kind": Kind.ARTICLE, "category": Category.RIGHTS, "department": roles.RIGHTS, "at": _at(2018, 5, 8),
        "body": (
            "<p>工会劳动法律监督检查按季节各有重点：</p>"
            "<table><thead><tr><th>季节</th><th>检查重点</th></tr></thead><tbody>"
            "<tr><td>春</td><td>劳动合同签订</td></tr><tr><td>夏</td><td>劳动安全保障</td></tr>"
            "<tr><td>秋</td><td>社会保险缴纳</td></tr><tr><td>冬</td><td>工资报酬支付</td></tr></tbody></table>"
            "<p>遇到欠薪、合同、工伤等问题，可通过本平台“维权求助”或拨打职工维权热线 12351。</p>"
        ),
    },
    {
        "title": "关于开展2018年“送温暖”工程的通知",
        "kind": Kind.NOTICE, "category": Category.RIGHTS, "department": roles.AID, "at": _at(2018, 6, 1),
        "body": (
            "<p>各基层工会：</p><p>今年继续实施“春送岗位、夏送清凉、金秋助学、冬送温暖”行动，"
            "做好困难职工帮扶、免费体检、“两癌”筛查、大病重病救助和一线优秀职工免费疗休养等工作。"
            "请各基层工会做好摸底和申报。</p><p>特此通知。</p>"
        ),
    },
]


def seed(stdout=None) -> int:
    """Create the demo articles once (by title) and publish them; returns how many were added."""
    actor = User.objects.filter(is_superuser=True).order_by("id").first()
    added = 0
    for spec in ARTICLES:
        if Article.objects.filter(title=spec["title"]).exists():
            continue
        article = article_save(article=Article(
            title=spec["title"], kind=spec["kind"], category=spec["category"], department=spec["department"],
            body=spec["body"], publish_at=spec["at"],
        ), actor=actor)
        article_transition(article=article, target=Status.REVIEW, actor=actor)
        article_transition(article=article, target=Status.PUBLISHED, actor=actor)
        added += 1
    if stdout is not None:  # the same line on every run (seed_demo prints the same twice)
        stdout.write(f"新闻公告：{len(ARTICLES)} 篇演示文章已发布（/news/）")
    return added
