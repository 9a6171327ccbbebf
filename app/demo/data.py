"""The demo incubator's data: zones, spaces, companies and people (INCUBATOR.md)."""

from datetime import date

from app.models import Stage

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
