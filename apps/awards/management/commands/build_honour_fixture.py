"""Write fixtures/honour_rolls.json from the seed's three 2018 honour rolls.

The names below are copied from the federation's work report (shared/seeds/000_8895bb8210ba6554.txt).
The fixture uses natural keys only (TownStreet by code, unions and employers by name, programmes
by kind and year, entries by programme and name, ratings by union and year), so it loads on any
database, empty or not, and loading it twice changes nothing. A test keeps the committed file
equal to what this command writes.

Town/street: taken from the name where it says so (佛堂镇…, 苏溪法庭, 城西支行, 江东支行, 稠江…,
福田街道…, 后宅…, 稠城…); otherwise 稠城街道, the city centre, as an assumption.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

YEAR = 2018
# The organisations' created_at is required on a raw load; a fixed value keeps the file stable.
ORGS_CREATED_AT = "2018-12-31T00:00:00+08:00"
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "honour_rolls.json"

GOV, INST, SCHOOL, HOSPITAL, ENT = "government", "institution", "school", "hospital", "enterprise"

# 最美职工: the seed prints five names, then their five employers, twice; paired by position.
MOST_BEAUTIFUL_WORKERS = [
    ("丁思诗", "浙江省义乌市国家税务局", GOV),
    ("王立栋", "新光控股集团有限公司", ENT),
    ("王自成", "义乌市交通投资建设集团有限公司", ENT),
    ("毛旭君", "义乌市稠江中学", SCHOOL),
    ("朱俊芳", "义乌市社会福利院", INST),
    ("杨开正", "义乌市公路养护与应急保障中心", INST),
    ("沈国红", "义乌市福田街道尚经工作片", GOV),
    ("周丽萍", "义乌出入境检验检疫局", GOV),
    ("黄亚州", "义乌市优多儿童用品有限公司", ENT),
    ("楼仁斌", "义乌市公安局巡防大队", GOV),
]

# 五星级示范工会: (union name, employer kind); the employer is the name without "工会".
FIVE_STAR_UNIONS = [
    ("浙江科艺饰品机械有限公司工会", ENT),
    ("浙江天派针织有限公司工会", ENT),
    ("义乌復元医院有限公司工会", HOSPITAL),
    ("浙江森宇实业有限公司工会", ENT),
    ("义乌市派服饰有限公司工会", ENT),
    ("义乌市华升印刷有限公司工会", ENT),
    ("浙江雅思化妆品有限公司工会", ENT),
    ("浙江黛维丝实业有限公司工会", ENT),
    ("浙江曼姿袜业有限公司工会", ENT),
    ("义乌天祥医疗东方医院工会", HOSPITAL),
    ("浙江梦娜袜业股份有限公司工会", ENT),
    ("浙江芬莉集团有限公司工会", ENT),
    ("义乌出入境检验检疫局工会", GOV),
    ("义乌海关工会", GOV),
    ("中国人民银行义乌市支行工会", GOV),
    ("浙江省义乌市国家税务局工会", GOV),
    ("义乌市第三人民医院(稠城中心卫生院)工会", HOSPITAL),
    ("义乌市佛堂镇小学工会", SCHOOL),
    ("义乌市尚经小学工会", SCHOOL),
    ("义乌市前洪小学工会", SCHOOL),
    ("义乌市绣湖幼儿园工会", SCHOOL),
    ("义乌市湖门小学工会", SCHOOL),
    ("义乌市星光实验学校工会", SCHOOL),
    ("义乌市黄杨梅小学工会", SCHOOL),
    ("义乌市佛堂镇第二小学工会", SCHOOL),
]

# 工人先锋号: (team, employer recognisable in the team's name or None, employer kind).
WORKER_PIONEERS = [
    ("义乌市机关事务管理局车队", "义乌市机关事务管理局", GOV),
    ("义乌市人民法院苏溪法庭", "义乌市人民法院", GOV),
    ("义乌海关驻机场办事处旅检科", "义乌海关", GOV),
    ("义乌出入境检验检疫局检验检疫科学技术研究院", "义乌出入境检验检疫局", GOV),
    ("浙江义乌农村商业银行股份有限公司城西支行", "浙江义乌农村商业银行股份有限公司", ENT),
    ("浙江义乌联合村镇银行股份有限公司财会管理部营业部", "浙江义乌联合村镇银行股份有限公司", ENT),
    ("浙江稠州商业银行义乌营业部", "浙江稠州商业银行", ENT),
    ("浙江金秋国际旅行社有限公司门市部", "浙江金秋国际旅行社有限公司", ENT),
    ("中国农业银行股份有限公司义乌分行江东支行", "中国农业银行股份有限公司义乌分行", ENT),
    ("中国太平洋人寿保险股份有限公司义乌直属支公司综合管理部", "中国太平洋人寿保险股份有限公司义乌直属支公司", ENT),
    ("中国邮政储蓄银行股份有限公司浙江省义乌市支行稠州路支行", "中国邮政储蓄银行股份有限公司浙江省义乌市支行", ENT),
    ("中国工商银行股份有限公司义乌分行稠江支行", "中国工商银行股份有限公司义乌分行", ENT),
    ("义乌天祥医疗东方医院健康促进部", "义乌天祥医疗东方医院", HOSPITAL),
    ("浙江华川实业集团有限公司电气部机修车间", "浙江华川实业集团有限公司", ENT),
    ("浙江卓越电子有限公司装配二部", "浙江卓越电子有限公司", ENT),
    ("浙江森宇实业有限公司设计部", "浙江森宇实业有限公司", ENT),
    ("义乌市奇纳斯饰品有限公司树脂部", "义乌市奇纳斯饰品有限公司", ENT),
    ("义乌市宝丽诗化妆品有限公司技改创新组", "义乌市宝丽诗化妆品有限公司", ENT),
    ("浙江芬莉袜业有限公司织造车间", "浙江芬莉袜业有限公司", ENT),
    ("浙江王斌装饰材料有限公司研发中心", "浙江王斌装饰材料有限公司", ENT),
    ("浙江亿朋服饰有限公司精品组", "浙江亿朋服饰有限公司", ENT),
    ("浙江宾王扑克有限公司成品部", "浙江宾王扑克有限公司", ENT),
    ("浙江棒杰数码针织品股份有限公司织造车间", "浙江棒杰数码针织品股份有限公司", ENT),
    ("浙江久灵早教用品科技股份有限公司模具部", "浙江久灵早教用品科技股份有限公司", ENT),
    ("浙江恒风集团有限公司公交分公司BRT1号线", "浙江恒风集团有限公司", ENT),
    ("义乌市社会福利院儿童部", "义乌市社会福利院", INST),
    ("义乌市道路运输管理局稠城运管所", "义乌市道路运输管理局", GOV),
    ("义乌市公路管理局后宅公路管理所", "义乌市公路管理局", GOV),
    ("浙江交工集团股份有限公司疏港高速公路工程项目经理部五分部", "浙江交工集团股份有限公司", ENT),
    ("中国邮政速递物流股份有限公司浙江省义乌市分公司政务团队驻行政服务中心点", "中国邮政速递物流股份有限公司浙江省义乌市分公司", ENT),
    ("义乌市佛堂镇行政服务中心", None, GOV),  # the team is a whole office; its employer is not named
]

# Place names that say where an organisation is, in the order they are tried.
TOWN_WORDS = [
    ("佛堂", "fotang"), ("苏溪", "suxi"), ("城西", "chengxi"), ("江东", "jiangdong"),
    ("稠江", "choujiang"), ("福田", "futian"), ("后宅", "houzhai"), ("稠城", "choucheng"),
]
DEFAULT_TOWN = "choucheng"  # 稠城街道, the city centre: the assumption when a name says nothing

PROGRAMMES = {
    "most_beautiful_worker": f"{YEAR}年度义乌市“最美职工”",
    "five_star_union": f"{YEAR}年度“五星级示范工会”",
    "worker_pioneer": f"{YEAR}年度义乌市“工人先锋号”",
}
SOURCE_NOTE = "名单来源：义乌市总工会十七届九次全委（扩大）会议工作报告。"


def town_for(name: str) -> str:
    """The town/street code a name states, else the city centre."""
    # "浙江" + "东…" would read as 江东; the province prefix never names a town.
    text = name.replace("浙江", "")
    for word, code in TOWN_WORDS:
        if word in text:
            return code
    return DEFAULT_TOWN


PRIVATE_HOSPITALS = {"义乌復元医院有限公司", "义乌天祥医疗东方医院"}


def union_kind_for(employer_name: str, employer_kind: str) -> str:
    """单独基层工会 for companies and private hospitals, 机关事业单位工会 for the public sector."""
    if employer_kind == ENT or employer_name in PRIVATE_HOSPITALS:
        return "enterprise"
    return "institution"


def build() -> list[dict]:
    """The fixture's objects, in load order: unions, employers, programmes, entries, ratings."""
    unions, employers = {}, {}

    def union(name, employer_kind):
        unions.setdefault(name, {
            "model": "orgs.grassrootsunion",
            "fields": {
                "name": name, "kind": union_kind_for(name.removesuffix("工会"), employer_kind), "town_street": [town_for(name)],
                "is_catch_all": False, "is_active": True, "created_at": ORGS_CREATED_AT,
            },
        })

    def employer(name, kind, union_name=None):
        if name in employers:
            if union_name:
                employers[name]["fields"]["union"] = [union_name]
            return
        employers[name] = {
            "model": "orgs.employer",
            "fields": {
                "name": name, "kind": kind, "town_street": [town_for(name)],
                "union": [union_name] if union_name else None, "created_at": ORGS_CREATED_AT,
            },
        }

    for union_name, kind in FIVE_STAR_UNIONS:
        union(union_name, kind)
        employer(union_name.removesuffix("工会"), kind, union_name)
    for _person, employer_name, kind in MOST_BEAUTIFUL_WORKERS:
        employer(employer_name, kind, f"{employer_name}工会" if f"{employer_name}工会" in unions else None)
    for _team, employer_name, kind in WORKER_PIONEERS:
        if employer_name:
            employer(employer_name, kind, f"{employer_name}工会" if f"{employer_name}工会" in unions else None)

    programmes = [
        {
            "model": "awards.awardprogramme",
            "fields": {
                "kind": kind, "year": YEAR, "title": title, "description": SOURCE_NOTE,
                "opens_on": None, "closes_on": None, "quota": None, "is_published": True,
            },
        }
        for kind, title in PROGRAMMES.items()
    ]

    def entry(kind, order, name, *, employer_name=None, union_name=None):
        citation = PROGRAMMES[kind]
        if employer_name:
            citation = f"{citation}，{employer_name}"
        return {
            "model": "awards.honourentry",
            "fields": {
                "programme": [kind, YEAR], "name": name,
                "employer": [employer_name] if employer_name else None,
                "union": [union_name] if union_name else None,
                "town_street": [town_for(employer_name or name) if kind == "most_beautiful_worker" else town_for(name)],
                "deeds": f"{citation}。", "photo": "", "photo_thumbnail": "",
                "is_published": True, "sort_order": order,
            },
        }

    entries = [
        entry("most_beautiful_worker", i, person, employer_name=employer_name)
        for i, (person, employer_name, _kind) in enumerate(MOST_BEAUTIFUL_WORKERS, start=1)
    ] + [
        entry("five_star_union", i, union_name, union_name=union_name)
        for i, (union_name, _kind) in enumerate(FIVE_STAR_UNIONS, start=1)
    ] + [
        entry("worker_pioneer", i, team, employer_name=employer_name)
        for i, (team, employer_name, _kind) in enumerate(WORKER_PIONEERS, start=1)
    ]

    ratings = [
        {
            "model": "stars.starrating",
            "fields": {
                "union": [union_name], "year": YEAR, "level": 5, "is_demonstration": True,
                "decided_on": None, "note": f"{PROGRAMMES['five_star_union']}。{SOURCE_NOTE}",
            },
        }
        for union_name, _kind in FIVE_STAR_UNIONS
    ]
    return list(unions.values()) + list(employers.values()) + programmes + entries + ratings


def render() -> str:
    return json.dumps(build(), ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = "从种子名单生成荣誉榜数据文件 fixtures/honour_rolls.json（自然键，可重复加载）"

    def add_arguments(self, parser):
        parser.add_argument("--stdout", action="store_true", help="输出到屏幕而不是写文件")

    def handle(self, *args, stdout=False, **options):
        text = render()
        if stdout:
            self.stdout.write(text, ending="")
            return
        FIXTURE.write_text(text, encoding="utf-8")
        self.stdout.write(f"已写入 {FIXTURE}（{len(build())} 条记录）")
