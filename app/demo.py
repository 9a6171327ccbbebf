"""The demo incubator: ``flask seed-demo`` fills an empty database with a plausible building."""

import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime

import click
import sqlalchemy as sa
from stdnum.cn import uscc

from app.demo_bookings import seed_bookings
from app.extensions import Base, db
from app.models import (
    Booking,
    Company,
    CompanyStatus,
    Lease,
    Role,
    Space,
    SpaceKind,
    Stage,
    User,
    Zone,
)
from app.services import events
from app.services.passwords import hash_password
from app.web import today_local

OPENED = date(2024, 7, 1)
SEED = 2024  # every run builds the same building
HALL_ZONES = {"RSH", "LEC", "EVT"}  # open 08:30-21:00 on working days; the rest 08:00-22:00 daily
MANAGER = ("manager@czg.example.cn", "manager123", "王敏")
ADMIN = ("admin@czg.example.cn", "admin1234", "刘洋")
DEMO_TENANT = ("tenant@hunengtech.example.cn", "tenant123", "四川护能科技有限公司")
TENANT_PASSWORD = "tenant123"

# code, Chinese name, English name, m² (the demo allocation of INCUBATOR.md), in display order
ZONES = [
    ("MKT", "科技服务大市场", "Technology Services Marketplace", 1200),
    ("SEED", "创业苗圃", "Startup Seedbed", 1000),
    ("INC", "孵化空间", "Incubation Space", 2600),
    ("ACC", "加速空间", "Acceleration Space", 2200),
    ("BIZ", "精英商务中心", "Elite Business Centre", 800),
    ("MTG", "座谈会议室", "Meeting rooms", 400),
    ("RSH", "多功能路演厅", "Multi-function Roadshow Hall", 450),
    ("LEC", "报告厅", "Lecture Hall", 350),
    ("EVT", "活动区", "Event Area", 400),
    ("LNG", "休闲洽谈区", "Lounge & Negotiation Area", 300),
    ("COM", "特色商业", "Featured Commerce", 300),
]
DESCRIPTIONS = {
    "MKT": "知识产权、法律、财税和技术转移等服务机构在此设展位，为企业提供一站式科技服务。",
    "SEED": "开放式工位区，为尚未注册公司的早期创业团队提供低成本的起步空间。",
    "INC": "独立的小型办公室，供在孵企业研发和日常办公。",
    "ACC": "面积较大的独立办公室，服务快速成长的加速企业。",
    "BIZ": "商务办公室和可预订的商务接待室，满足企业高端办公与接待需求。",
    "MTG": "6至30人的会议室，可按小时在线预订，提交即确认。",
    "RSH": "200座路演厅，用于投融资路演和产品发布，预订须经管理人员审批。",
    "LEC": "150座报告厅，用于讲座、培训和政策宣讲，预订须经管理人员审批。",
    "EVT": "可整场或分半场使用的活动区，用于展览和交流活动，预订须经管理人员审批。",
    "LNG": "轻松的休闲洽谈环境，洽谈桌可按小时预订，提交即确认。",
    "COM": "咖啡、文创和便利店等特色商业铺位，只租赁不预订。",
}


def _numbers(first: int, last: int, prefix: str = "", width: int = 0) -> list[str]:
    """Room numbers such as D001…D120."""
    return [f"{prefix}{n:0{width}d}" for n in range(first, last + 1)]


# fmt: off
# zone, numbers, Chinese and English name ({n} number, {seats}), kind, m² and seats (both cycled;
# no seats: one per 8 m²), equipment, bookings need approval. Top-level m² fit in the zone.
SPACE_SERIES = [
    ("MKT", _numbers(1, 24, "B", 2), "展位 {n}", "Booth {n}", "booth",
     (30, 40, 50, 35, 45, 40), (3,), "", False),
    ("SEED", _numbers(1, 120, "D", 3), "工位 {n}", "Desk {n}", "desk",
     (5.0, 5.5, 6.0), (1,), "", False),
    ("INC", _numbers(301, 320) + _numbers(401, 420), "孵化办公室 {n}", "Incubation Office {n}",
     "office", (45, 55, 60, 70, 90, 40, 50, 65), (), "", False),
    ("ACC", _numbers(501, 512), "加速办公室 {n}", "Acceleration Office {n}", "office",
     (120, 150, 180, 200, 250, 160), (), "", False),
    ("BIZ", _numbers(601, 608), "商务办公室 {n}", "Executive Office {n}", "office",
     (60, 60, 70, 70, 80, 80, 90, 90), (), "", False),
    ("BIZ", ["R1", "R2"], "商务接待室 {n}（{seats}人）", "Reception Room {n}", "meeting_room",
     (40, 55), (8, 12), "电视屏 视频会议 茶歇服务", False),
    ("MTG", _numbers(201, 203), "会议室 {n}（{seats}人）", "Meeting Room {n}", "meeting_room",
     (20, 24, 24), (6, 8, 8), "电视屏 白板", False),
    ("MTG", _numbers(204, 208), "会议室 {n}（{seats}人）", "Meeting Room {n}", "meeting_room",
     (30, 32, 40, 48, 68), (10, 12, 16, 20, 30), "投影仪 视频会议 白板", False),
    ("RSH", ["A"], "多功能路演厅", "Multi-function Roadshow Hall", "hall", (420,), (200,),
     "LED大屏 音响 无线麦克风 直播设备", True),
    ("LEC", ["A"], "报告厅", "Lecture Hall", "hall", (320,), (150,),
     "投影仪 音响 无线麦克风 讲台", True),
    ("EVT", ["A"], "活动区 {n}（整场）", "Event Area {n} (whole)", "event_area", (380,), (300,),
     "音响 展架 电源", True),
    ("EVT", ["A1", "A2"], "活动区 {n}（半场）", "Event Area {n} (half)", "event_area",
     (190,), (150,), "音响 展架 电源", True),
    ("LNG", _numbers(1, 6, "T"), "洽谈桌 {n}（{seats}人）", "Table {n}", "table",
     (14, 14, 16, 14, 16, 16), (4, 4, 6, 4, 6, 6), "电源插座", False),
    ("COM", _numbers(101, 104), "商铺 {n}", "Shop Unit {n}", "shop",
     (90, 70, 60, 50), (0,), "", False),
]
# fmt: on
ENDING_SOON = {"工业视觉检测创业团队", "乐山云数智联科技有限公司"}  # leases run out within 30 days
HALVES = {"EVT-A1": "EVT-A", "EVT-A2": "EVT-A"}  # part → the whole it divides

# Per group: "name slug industry", two to a line; slug.example.cn is the (fictitious) e-mail
# domain. The first four graduated companies still lease an office; the other four left.
TEAMS = """
光伏智能运维创业团队 pvops 光伏                   锂电池回收技术创业团队 relithium 新能源材料
无人机电力巡检创业团队 droneinspect 低空经济      工业视觉检测创业团队 indvision 人工智能
农业大数据创业团队 agridata 大数据                峨眉山文旅数字化创业团队 emeidigital 数字文旅
碳化硅功率器件设计团队 sicdesign 电子信息         智慧康养平台创业团队 smartcare 健康医疗
多晶硅副产物综合利用团队 polysireuse 新能源材料   储能热管理创业团队 thermstore 新能源
中药材溯源区块链创业团队 herbtrace 大数据         低空物流配送创业团队 lowaltlogi 低空经济
氢能催化材料创业团队 h2catalyst 新能源材料        校园创客智能硬件团队 makerhw 电子信息
智能灌溉物联网创业团队 irrigiot 物联网"""
INCUBATED = """
四川越成科技有限公司 yuechengtech 电子信息        乐山晶硅新材料科技有限公司 jingsi 新能源材料
乐山光谷能源科技有限公司 guanggu 光伏             乐山云数智联科技有限公司 yunshu 大数据
四川嘉州微电子有限公司 jiazhoumicro 电子信息      乐山凌云生物医药科技有限公司 lingyunbio 生物医药
乐山硅基传感技术有限公司 sisensor 电子信息        四川青衣数据服务有限公司 qingyidata 大数据
乐山大渡河智能装备有限公司 daduhe 智能制造        乐山绿源储能科技有限公司 lvyuan 新能源
四川峨眉生物科技有限公司 emeibio 生物医药         乐山星火软件科技有限公司 xinghuo 软件和信息服务
乐山海棠光电科技有限公司 haitang 光电             乐山三江环境科技有限公司 sanjiang 节能环保
乐山犍为锂能材料有限公司 qianweili 新能源材料     乐山数联智造科技有限公司 shulian 工业互联网"""
SERVICE_PROVIDERS = """
乐山知行知识产权代理有限公司 zhixingip 知识产权服务  乐山正衡法律咨询有限公司 zhengheng 法律服务
乐山汇信财税咨询有限公司 huixin 财税服务          乐山科成技术转移服务有限公司 kecheng 技术转移
四川创投通投资管理有限公司 chuangtou 投融资服务   乐山标准检测认证有限公司 biaozhun 检验检测"""
SHOPKEEPERS = """
乐山至乐咖啡有限公司 zhilecafe 餐饮               乐山嘉州文创商贸有限公司 jzwenchuang 文创零售
乐山便捷优选商贸有限公司 bianjie 零售"""
ACCELERATING = """
四川护能科技有限公司 hunengtech 新能源            乐山光合新能源科技有限公司 guanghe 光伏
四川硅源新材料有限公司 guiyuan 新能源材料         乐山智算云科技有限公司 zhisuan 大数据
乐山锐芯电子科技有限公司 ruixin 电子信息          四川康源生物医药有限公司 kangyuan 生物医药
乐山安储电池科技有限公司 anchu 新能源             乐山天鹰无人机科技有限公司 tianying 低空经济
四川蜀芯智能科技有限公司 shuxin 人工智能          乐山博瑞医疗器械有限公司 borui 医疗器械
乐山中晟光伏科技有限公司 zhongsheng 光伏          乐山数讯信息技术有限公司 shuxun 电子信息"""
GRADUATED = """
乐山宏宇新能源科技有限公司 hongyu 新能源          四川凌峰电子科技有限公司 lingfeng 电子信息
乐山瑞丰生物技术有限公司 ruifeng 生物医药         乐山云帆大数据科技有限公司 yunfan 大数据
乐山金阳光伏材料有限公司 jinyang 光伏             四川启明星软件有限公司 qimingxing 软件和信息服务
乐山绿硅科技有限公司 lvgui 新能源材料             乐山天工智能装备有限公司 tiangong 智能制造"""
# table, stage, joined at least this many days ago, zone it leases in, units per company (in
# turn; fixed rather than random so that about 85 % of the leasable area is taken)
COMPANY_GROUPS = [
    (TEAMS, Stage.TEAM, 30, "SEED", (6, 8, 5, 7)),
    (INCUBATED, Stage.INCUBATED, 60, "INC", (2, 3, 1, 2)),
    (SERVICE_PROVIDERS, Stage.INCUBATED, 60, "MKT", (3, 4)),
    (SHOPKEEPERS, Stage.INCUBATED, 60, "COM", (1,)),
    (ACCELERATING, Stage.ACCELERATING, 120, "ACC", (1,)),
    (GRADUATED, Stage.GRADUATED, 0, "", (0,)),  # their leases are written separately
]

SURNAMES = (
    "张:zhang 王:wang 李:li 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 周:zhou 吴:wu 徐:xu 孙:sun "
    "罗:luo 何:he 胡:hu 郭:guo 邓:deng 蒋:jiang 唐:tang 冯:feng 彭:peng 曾:zeng 谢:xie 杜:du"
)
GIVEN_NAMES = (
    "伟:wei 芳:fang 静:jing 磊:lei 勇:yong 艳:yan 杰:jie 涛:tao 明:ming 超:chao 霞:xia 婷:ting "
    "浩然:haoran 子涵:zihan 欣怡:xinyi 宇轩:yuxuan 思远:siyuan 嘉怡:jiayi 俊杰:junjie 雨桐:yutong "
    "晓东:xiaodong 丽娟:lijuan 志强:zhiqiang 建华:jianhua 文博:wenbo 诗琪:shiqi 梓萱:zixuan"
)
# Leshan city, 市中区, 五通桥区, 峨眉山市, 夹江县: where the demo companies are registered.
REGIONS = ("511100", "511102", "511112", "511181", "511126")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass
class SeedReport:
    """What the database holds after seeding, and whether this run loaded it."""

    loaded: bool
    zones: int
    spaces: dict[str, int]
    companies: dict[str, int]
    leases: int
    bookings: int
    users: int
    leased_share: float


@dataclass
class Tenant:
    """A demo company with what the lease and user builders need to know about it."""

    company: Company
    slug: str
    zone: str
    units: int


def _between(rng: random.Random, first: date, last: date) -> date:
    """A random day in [first, last]; ``first`` when the range is empty."""
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _years_after(day: date, years: int) -> date:
    """The last day of a term of ``years`` years starting on ``day``."""
    try:
        anniversary = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        anniversary = day.replace(year=day.year + years, day=28)
    return anniversary - timedelta(days=1)


def _uscc(rng: random.Random, taken: set[str]) -> str:
    """A fresh, valid Unified Social Credit Code of a Leshan company (GB 32100-2015)."""
    while True:
        # Codes issued since 2015 hold an "MA…" organisation code with its own GB 11714 check.
        body = "MA62" + "".join(rng.choice(USCC_ALPHABET) for _ in range(4))
        weights = (3, 7, 9, 10, 5, 8, 4, 2)
        check = 11 - sum(int(c, 36) * w for c, w in zip(body, weights, strict=True)) % 11
        code17 = "91" + rng.choice(REGIONS) + body + {10: "X", 11: "0"}.get(check, str(check))
        code = code17 + uscc.calc_check_digit(code17)
        assert uscc.is_valid(code), code
        if code not in taken:
            taken.add(code)
            return code


def _person(rng: random.Random) -> tuple[str, str]:
    """A Chinese name and its pinyin e-mail local part, e.g. ("张伟", "zhang.wei")."""
    surname, surname_py = rng.choice(SURNAMES.split()).split(":")
    given, given_py = rng.choice(GIVEN_NAMES.split()).split(":")
    return surname + given, f"{surname_py}.{given_py}"


def _phone(rng: random.Random) -> str:
    """A fictitious mainland mobile number."""
    prefix = rng.choice(("133", "135", "138", "139", "150", "158", "177", "180", "186", "189"))
    return f"{prefix}{rng.randint(0, 99_999_999):08d}"


def _zones() -> dict[str, Zone]:
    """The eleven zones, in the order of INCUBATOR.md."""
    zones: dict[str, Zone] = {}
    for order, (code, name, name_en, area) in enumerate(ZONES, start=1):
        zones[code] = Zone(code=code, name=name, name_en=name_en, area_m2=area, sort_order=order)
        zones[code].description = DESCRIPTIONS[code]
        if code in HALL_ZONES:
            zones[code].opens_at, zones[code].closes_at = dtime(8, 30), dtime(21, 0)
            zones[code].working_days_only = True
    return zones


def _spaces(zones: dict[str, Zone]) -> dict[str, list[Space]]:
    """All spaces by zone code, from SPACE_SERIES."""
    found: dict[str, list[Space]] = {code: [] for code in zones}
    for zone_code, numbers, name, name_en, kind, areas, seats, kit, approval in SPACE_SERIES:
        for i, number in enumerate(numbers):
            area = areas[i % len(areas)]
            capacity = seats[i % len(seats)] if seats else int(area // 8)
            labels = {"n": number, "seats": capacity}
            space = Space(zone=zones[zone_code], code=f"{zone_code}-{number}", kind=SpaceKind(kind))
            space.name, space.name_en = name.format(**labels), name_en.format(**labels)
            space.area_m2, space.capacity, space.equipment = area, capacity, kit.split()
            space.bookable, space.requires_approval = not space.kind.leasable, approval
            found[zone_code].append(space)
    by_code = {space.code: space for spaces in found.values() for space in spaces}
    for part, whole in HALVES.items():
        by_code[part].parent = by_code[whole]
    return found


def _companies(rng: random.Random, today: date, opened: date) -> list[Tenant]:
    """About sixty companies and teams at every stage, each with a contact person."""
    codes: set[str] = set()
    tenants = []
    for table, stage, settled_days, zone, units in COMPANY_GROUPS:
        words = iter(table.split())
        for index, (name, slug, industry) in enumerate(zip(words, words, words, strict=True)):
            contact, local = _person(rng)
            company = Company(name=name, stage=stage, industry=industry, contact_name=contact)
            company.contact_phone, company.contact_email = _phone(rng), f"{local}@{slug}.example.cn"
            if stage != Stage.TEAM or rng.random() < 0.25:
                company.uscc = _uscc(rng, codes)
            if stage == Stage.GRADUATED:
                company.joined_on = _between(rng, opened, opened + timedelta(days=120))
                earliest = company.joined_on + timedelta(days=300)
                graduated = _between(rng, earliest, today - timedelta(days=60))
                company.graduated_on = max(min(graduated, today), company.joined_on)
                if index >= 4:
                    company.status = CompanyStatus.LEFT
            else:
                company.joined_on = _between(rng, opened, today - timedelta(days=settled_days))
            tenants.append(Tenant(company, slug, zone, units[index % len(units)]))
    return tenants


def _leases(
    rng: random.Random, today: date, tenants: list[Tenant], spaces: dict[str, list[Space]]
) -> list[Lease]:
    """Leases filling about 85 % of the leasable area today, with some history."""
    leases: list[Lease] = []
    free: dict[str, date] = {}  # the first day each space may be leased again
    executive_offices = [s for s in spaces["BIZ"] if s.kind == SpaceKind.OFFICE]

    def take(
        tenant: Tenant, pool: list[Space], count: int, start: date, end: date | None, notes: str
    ) -> int:
        ready = [s for s in pool if free.get(s.code, date.min) <= start]
        later = [s for s in pool if start < free.get(s.code, date.min) <= today]
        chosen = (ready + later)[:count]
        start = max([start, *(free.get(s.code, date.min) for s in chosen)])
        if not chosen or (end is not None and end < start):
            return 0
        for space in chosen:
            lease = Lease(company=tenant.company, space=space, starts_on=start, ends_on=end)
            lease.notes = notes
            leases.append(lease)
            free[space.code] = end + timedelta(days=1) if end else date.max
        return len(chosen)

    def term(start: date) -> date | None:
        years = rng.choice((None, None, None, 1, 2, 3))
        if years is None:
            return None
        while _years_after(start, years) <= today + timedelta(days=30):
            years += 1  # renewed: only the chosen few below run out soon
        return _years_after(start, years)

    for index, tenant in enumerate(t for t in tenants if t.company.stage == Stage.GRADUATED):
        company = tenant.company
        assert company.graduated_on is not None
        if company.status == CompanyStatus.LEFT:
            moved_out = company.graduated_on + timedelta(days=rng.randint(0, 45))
            moved_out = max(min(moved_out, today - timedelta(days=1)), company.joined_on)
            take(tenant, spaces["ACC"], 1, company.joined_on, moved_out, "毕业后迁出孵化器")
        else:
            moved = company.graduated_on + timedelta(days=1)
            notes = "毕业后迁至精英商务中心"
            take(tenant, spaces["ACC"], 1, company.joined_on, company.graduated_on, notes)
            take(tenant, executive_offices, 1 + index % 2, moved, term(moved), "")
    for tenant in tenants:
        if not tenant.zone:
            continue
        start = _between(rng, tenant.company.joined_on, today)
        end: date | None
        if tenant.company.name in ENDING_SOON:
            end, notes = today + timedelta(days=rng.randint(7, 28)), "到期后不再续租"
        else:
            end, notes = term(start), ""
        if not take(tenant, spaces[tenant.zone], tenant.units, start, end, notes):
            take(tenant, executive_offices, 1, start, end, notes)
    return leases


def _users(rng: random.Random, tenants: list[Tenant]) -> list[User]:
    """The manager, the admin and one to three people per active company."""
    # argon2 is slow on purpose: hash each demo password once.
    passwords = {MANAGER[1], ADMIN[1], DEMO_TENANT[1], TENANT_PASSWORD}
    hashes = {password: hash_password(password) for password in passwords}
    users = [
        User(email=email, name=name, phone=_phone(rng), password_hash=hashes[password], role=role)
        for (email, password, name), role in ((MANAGER, Role.MANAGER), (ADMIN, Role.ADMIN))
    ]
    for tenant in tenants:
        company = tenant.company
        if company.status == CompanyStatus.LEFT:
            continue
        people = {company.contact_email: (company.contact_name, company.contact_phone)}
        for _extra in range(rng.randint(0, 2)):
            name, local = _person(rng)
            people.setdefault(f"{local}@{tenant.slug}.example.cn", (name, _phone(rng)))
        if company.name == DEMO_TENANT[2]:
            people[DEMO_TENANT[0]] = (_person(rng)[0], _phone(rng))
        for email, (name, phone) in people.items():
            password = DEMO_TENANT[1] if email == DEMO_TENANT[0] else TENANT_PASSWORD
            user = User(email=email, name=name, phone=phone, company=company, role=Role.TENANT)
            user.password_hash = hashes[password]
            user.locale = "en" if rng.random() < 0.15 else "zh_CN"  # partners and investors
            users.append(user)
    return users


def leased_share(today: date) -> float:
    """The share of the leasable floor area under a lease on ``today``."""
    leasable = Space.kind.in_([kind for kind in SpaceKind if kind.leasable])
    in_force = sa.select(Lease.space_id).where(
        Lease.starts_on <= today, sa.or_(Lease.ends_on.is_(None), Lease.ends_on >= today)
    )
    area = sa.select(sa.func.sum(Space.area_m2)).where(leasable)
    total = db.session.scalar(area) or 0
    leased = db.session.scalar(area.where(Space.id.in_(in_force))) or 0
    return leased / total if total else 0.0


def _report(today: date, loaded: bool) -> SeedReport:
    """Count what the database holds."""

    def count(model: type[Base]) -> int:
        return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0

    spaces = sa.select(Zone.code, sa.func.count(Space.id)).join(Space.zone).group_by(Zone.code)
    stages = sa.select(Company.stage, sa.func.count()).group_by(Company.stage)
    return SeedReport(
        loaded=loaded,
        zones=count(Zone),
        leases=count(Lease),
        bookings=count(Booking),
        users=count(User),
        spaces={code: n for code, n in db.session.execute(spaces)},
        companies={str(stage): n for stage, n in db.session.execute(stages)},
        leased_share=leased_share(today),
    )


def seed_demo(today: date) -> SeedReport:
    """Load the demo incubator as it stands on ``today``, unless zones or companies exist."""
    if db.session.scalar(sa.select(Zone.id).union_all(sa.select(Company.id)).limit(1)) is not None:
        return _report(today, loaded=False)
    rng = random.Random(SEED)
    # An early ``today`` (in tests) still gets a year and a half of history.
    opened = min(OPENED, today - timedelta(days=540))
    zones = _zones()
    spaces = _spaces(zones)
    db.session.add_all([*zones.values(), *(s for group in spaces.values() for s in group)])
    db.session.flush()
    tenants = _companies(rng, today, opened)
    db.session.add_all(t.company for t in tenants)
    db.session.flush()
    db.session.add_all(_leases(rng, today, tenants, spaces))
    db.session.add_all(_users(rng, tenants))
    db.session.flush()
    with events.muted():  # demo history is not news: no notices, no mail
        seed_bookings(rng, today)
    return _report(today, loaded=True)


@click.command("seed-demo")
@click.option(
    "--today",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Build the incubator as it stands on this day (default: today in Leshan).",
)
def seed_demo_command(day: datetime | None) -> None:
    """Load the demo incubator into an empty database."""
    today = day.date() if day else today_local()
    began = time.perf_counter()
    report = seed_demo(today)
    if report.loaded:
        db.session.commit()
        spaces = ", ".join(f"{code} {report.spaces.get(code, 0)}" for code, *_ in ZONES)
        stages = ", ".join(f"{stage} {report.companies.get(stage, 0)}" for stage in Stage)
        click.echo(
            f"Demo incubator loaded as of {today} in {time.perf_counter() - began:.1f} s:\n"
            f"  {report.zones} zones; {sum(report.spaces.values())} spaces ({spaces})\n"
            f"  {sum(report.companies.values())} companies ({stages})\n"
            f"  {report.leases} leases; {report.bookings} bookings; {report.users} users\n"
            f"  {report.leased_share:.1%} of the leasable area is leased today"
        )
    else:
        click.echo("The database already holds zones or companies: the demo was not loaded again.")
    if db.session.scalar(sa.select(User.id).where(User.email == MANAGER[0])) is None:
        return
    click.echo("Demo sign-ins:")
    for email, password, _name in (MANAGER, ADMIN, DEMO_TENANT):
        click.echo(f"  {email:<30} {password}")
