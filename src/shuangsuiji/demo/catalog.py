"""Catalogue of the two real annual joint spot-check plans the demo data set is built from.

Pure data: the districts, their departments (with every spelling the plan uses), the scope
categories that tag the generated entities, the population of every task of the plan, and the
check items each department owns.  Nothing here touches a database or the file system.

Sources (text extracted from the Word tables, kept in ``/work/shared/seeds``):

* ``lucheng-2023-plan.txt``: 潞城区2023年度部门联合双随机抽查工作计划 (38 tasks);
* ``jincheng-chengqu-2024-plan.txt``: 晋城市城区市场监管领域2024年度部门联合双随机抽查工作计划
  （调整版） (27 tasks).

Conventions:

* ``DepartmentSpec.short_name`` is the spelling the plan uses most often (ties go to the
  shorter one); ``aliases`` holds every other spelling found in the 发起部门/配合部门 cells, so
  that ``{short_name, *aliases}`` resolves every department cell of the plan.
* ``CategorySpec.share`` is the fraction of a district's entities that carry the tag.  The
  broad tags (企业, 个体工商户, 事业单位, 机关, 社会组织) stand for the generic population that
  no specific tag describes; with them the shares of a district add up to 1, so a generator may
  give every entity exactly one tag.  Broad scopes list the broad tags (plus the specific tags
  the task obviously aims at).
* A category name means the same industry code and legal form in every district (the
  categories become one shared table).
* A task's population is the union of its categories (optionally restricted by
  ``min_registered_capital``, in 万元).
* ``CheckItemSpec.object_type`` is always one of the district's category names, and every task
  has, for each matter of its 抽查事项, an item of its 发起部门 whose ``object_type`` is one of
  the task's categories.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DepartmentSpec:
    name: str  # official full name, e.g. "长治市潞城区市场监督管理局"
    short_name: str  # the usual short form as written in the plan, e.g. "区市场监管局"
    aliases: tuple[str, ...]  # every other spelling of this body in the district's plan
    is_coordinator: bool = False  # True only for the 市场监管局 (联席会议办公室)


@dataclass(frozen=True)
class CategorySpec:
    name: str  # a scope category tag, e.g. "学校食堂"
    industry_code: str  # GB/T 4754-2017: section letter + 4-digit class, e.g. "P8331"
    share: float  # fraction of the district's entities that carry this tag
    kind: str = "企业"  # legal form: 企业, 个体工商户, 事业单位, 社会组织, 机关


@dataclass(frozen=True)
class TaskScopeSpec:
    number: int  # the task's 序号 in the plan
    scope_text: str  # the 抽查对象范围 cell, exactly as in the plan
    categories: tuple[str, ...]  # CategorySpec names whose union is the task's population
    min_registered_capital: int | None = None  # in 万元, e.g. "注册资本3000万元以上企业"


@dataclass(frozen=True)
class CheckItemSpec:
    department: str  # short_name of the owning department
    name: str  # the check item, taken from the 抽查事项 of that department's tasks
    legal_basis: str  # 检查依据
    object_type: str  # a CategorySpec name of the district
    method: str  # 现场检查, 书面检查 or 网络监测
    qualification: str = ""  # inspector qualification the item requires, if any


@dataclass(frozen=True)
class DistrictSpec:
    province: tuple[str, str]  # (GB/T 2260 code, name)
    city: tuple[str, str]
    county: tuple[str, str]
    plan_file: str
    plan_year: int
    departments: tuple[DepartmentSpec, ...]
    categories: tuple[CategorySpec, ...]
    tasks: tuple[TaskScopeSpec, ...]
    check_items: tuple[CheckItemSpec, ...]


KINDS: tuple[str, ...] = ("企业", "个体工商户", "事业单位", "社会组织", "机关")
METHODS: tuple[str, ...] = ("现场检查", "书面检查", "网络监测")

# Recurring legal bases.
_FOOD_SAFETY_LAW = "《中华人民共和国食品安全法》"
_AIR_LAW_54 = "《中华人民共和国大气污染防治法》第五十四条"
_INSPECTION_BODIES = "《检验检测机构监督管理办法》"
_GRAIN = "《粮食流通管理条例》"
_WAGES = "《保障农民工工资支付条例》"
_TAX = "《中华人民共和国税收征收管理法》"
_ROAD_TRANSPORT = "《中华人民共和国道路运输条例》"
_DANGEROUS_GOODS = "《道路危险货物运输管理规定》"
_ONLINE_FREIGHT = "《网络平台道路货物运输经营管理暂行办法》"
_PUBLIC_HYGIENE = "《公共场所卫生管理条例》"
_SECURITY = "《保安服务管理条例》"
_EXPLOSIVES = "《民用爆炸物品安全管理条例》"
_PERFORMANCE = "《营业性演出管理条例》"
_TRAVEL_AGENCY = "《旅行社条例》"
_PREPAID_CARD = "《单用途商业预付卡管理办法（试行）》"
_LIGHTNING = "《防雷减灾管理办法》"
_TOBACCO_LAW = "《中华人民共和国烟草专卖法》"
_TOBACCO_RULES = "《中华人民共和国烟草专卖法实施条例》"
_VET_DRUGS = "《兽药管理条例》"
_HAZCHEM = "《危险化学品安全管理条例》"
_STATISTICS_LAW = "《中华人民共和国统计法》"
_STATISTICS_RULES = "《中华人民共和国统计法实施条例》"
_SEED_LAW = "《中华人民共和国种子法》"
_WILDLIFE_LAW = "《中华人民共和国野生动物保护法》"
_GAS = "《城镇燃气管理条例》"
_ELDERLY_CARE = "《养老机构管理办法》"
_CIVIL_AIR_DEFENCE = "《中华人民共和国人民防空法》"
_FIRE_LAW_16 = "《中华人民共和国消防法》第十六条"
_FIRE_INSPECTION = "《消防监督检查规定》"
_PRICE_LAW = "《中华人民共和国价格法》"
_DISCLOSURE = "《企业信息公示暂行条例》"
_PRIVATE_EDUCATION = "《中华人民共和国民办教育促进法》"
_HIGH_RISK_SPORTS = "《经营高危险性体育项目许可管理办法》"
_USED_CARS = "《二手车流通管理办法》"
_SOCIAL_INSURANCE_AGENCIES = "《社会保险经办条例》"
_BUSINESS_ENVIRONMENT = "《优化营商环境条例》"

# ---------------------------------------------------------------------------------------------
# 长治市潞城区, 2023
# ---------------------------------------------------------------------------------------------

_LUCHENG_DEPARTMENTS = (
    DepartmentSpec(
        name="长治市潞城区市场监督管理局",
        short_name="区市场监管局",
        aliases=("区市场监督管理局", "区市场监管", "市场监管部门"),
        is_coordinator=True,
    ),
    DepartmentSpec(name="长治市潞城区教育局", short_name="区教育局", aliases=()),
    DepartmentSpec(
        name="长治市潞城区卫生健康和体育局",
        short_name="区卫体局",
        aliases=("潞城区卫生健康和体育局",),
    ),
    DepartmentSpec(name="长治市生态环境局潞城分局", short_name="区生态环保分局", aliases=()),
    DepartmentSpec(name="长治市潞城区交通运输局", short_name="区交通运输局", aliases=("区交通局",)),
    DepartmentSpec(name="长治市公安局潞城分局", short_name="区公安分局", aliases=()),
    DepartmentSpec(name="长治市潞城区发展和改革局", short_name="区发改局", aliases=()),
    DepartmentSpec(
        name="长治市潞城区人力资源和社会保障局",
        short_name="区人力资源和社会保障局",
        aliases=(),
    ),
    DepartmentSpec(
        name="长治市潞城区住房和城乡建设局",
        short_name="区住建局",
        aliases=("区住房和城乡建设局",),
    ),
    DepartmentSpec(
        name="国家税务总局长治市潞城区税务局", short_name="区税务局", aliases=("区税务",)
    ),
    DepartmentSpec(name="长治市潞城区水利局", short_name="区水利局", aliases=()),
    DepartmentSpec(name="长治市潞城区民政局", short_name="区民政局", aliases=()),
    DepartmentSpec(name="长治市潞城区文化和旅游局", short_name="区文化和旅游局", aliases=()),
    DepartmentSpec(
        name="长治市潞城区人民政府招商中心",
        short_name="区政府招商中心",
        aliases=("区政府招商中心（长治市潞城区商务中心）",),
    ),
    DepartmentSpec(name="长治市潞城区气象局", short_name="区气象局", aliases=()),
    DepartmentSpec(name="长治市潞城区应急管理局", short_name="区应急管理局", aliases=("区应急局",)),
    DepartmentSpec(name="长治市潞城区烟草专卖局", short_name="长治市潞城区烟草专卖局", aliases=()),
    DepartmentSpec(
        name="长治市农业综合行政执法队潞城大队",
        short_name="长治市农业综合行政执法队潞城大队",
        aliases=(),
    ),
    DepartmentSpec(name="长治市潞城区统计局", short_name="区统计局", aliases=()),
    DepartmentSpec(name="长治市潞城区林业局", short_name="区林业局", aliases=()),
    DepartmentSpec(name="长治市潞城区人民防空办公室", short_name="区人防部门", aliases=()),
    DepartmentSpec(name="长治市潞城区消防救援大队", short_name="区消防救援大队", aliases=()),
)

_LUCHENG_CATEGORIES = (
    # Broad tags (the generic population no specific tag describes) and everyday trades.
    CategorySpec("企业", "F5199", 0.2570, "企业"),
    CategorySpec("个体工商户", "F5299", 0.5267, "个体工商户"),
    CategorySpec("事业单位", "N7810", 0.006, "事业单位"),
    CategorySpec("社会组织", "S9522", 0.004, "社会组织"),
    CategorySpec("餐饮服务单位", "H6210", 0.03, "个体工商户"),
    CategorySpec("零售商店", "F5213", 0.025, "个体工商户"),
    # Education.
    CategorySpec("学校食堂", "P8331", 0.0015, "事业单位"),
    CategorySpec("中小学校", "P8321", 0.002, "事业单位"),
    CategorySpec("民办幼儿园", "P8310", 0.0012, "社会组织"),
    CategorySpec("校外培训机构", "P8393", 0.002, "企业"),
    # Market supervision, grain, labour.
    CategorySpec("机动车排放检验机构", "M7452", 0.0005, "企业"),
    CategorySpec("粮食经营者", "F5111", 0.003, "企业"),
    CategorySpec("建筑施工企业", "E4710", 0.008, "企业"),
    # Transport.
    CategorySpec("道路危险货物运输企业", "G5435", 0.0012, "企业"),
    CategorySpec("网络货运平台企业", "I6431", 0.0005, "企业"),
    CategorySpec("交通运输工程参建单位", "E4812", 0.0015, "企业"),
    # Civil affairs, public security.
    CategorySpec("养老机构", "Q8514", 0.0008, "社会组织"),
    CategorySpec("旅馆", "H6129", 0.003, "个体工商户"),
    CategorySpec("保安服务公司", "L7271", 0.0005, "企业"),
    CategorySpec("民爆物品储存库房", "G5949", 0.0005, "企业"),
    CategorySpec("爆破作业单位", "B1190", 0.0005, "企业"),
    # Culture and tourism.
    CategorySpec("网吧", "R9013", 0.002, "企业"),
    CategorySpec("KTV", "R9011", 0.0015, "企业"),
    CategorySpec("艺术品经营单位", "F5246", 0.0008, "个体工商户"),
    CategorySpec("旅行社", "L7291", 0.0006, "企业"),
    # Commerce.
    CategorySpec("新车销售企业", "F5261", 0.0015, "企业"),
    CategorySpec("二手车经营主体", "F5262", 0.0015, "企业"),
    CategorySpec("报废机动车回收拆解企业", "C4210", 0.0005, "企业"),
    CategorySpec("单用途预付卡发卡企业", "F5211", 0.003, "企业"),
    CategorySpec("外商投资企业", "L7212", 0.0005, "企业"),
    # Lightning protection, gas.
    CategorySpec("加油站", "F5265", 0.0025, "企业"),
    CategorySpec("煤矿", "B0610", 0.0008, "企业"),
    CategorySpec("燃气经营企业", "D4511", 0.0008, "企业"),
    # Tobacco.
    CategorySpec("卷烟零售户", "F5227", 0.04, "个体工商户"),
    CategorySpec("物流企业", "G5431", 0.006, "企业"),
    CategorySpec("寄递企业", "G6020", 0.0015, "企业"),
    # Agriculture.
    CategorySpec("农药经营门店", "F5167", 0.004, "个体工商户"),
    CategorySpec("肥料经营门店", "F5166", 0.004, "个体工商户"),
    CategorySpec("农作物种子经营门店", "F5112", 0.003, "个体工商户"),
    CategorySpec("饲料经营门店", "F5113", 0.002, "个体工商户"),
    CategorySpec("兽药经营门店", "F5153", 0.0015, "个体工商户"),
    CategorySpec("畜禽养殖企业", "A0313", 0.004, "企业"),
    # Work safety.
    CategorySpec("危险化学品生产企业", "C2614", 0.0015, "企业"),
    CategorySpec("危险化学品经营企业", "F5169", 0.002, "企业"),
    CategorySpec("冶金工贸企业", "C3110", 0.0005, "企业"),
    # Environment.
    CategorySpec("生态环境监测机构", "M7461", 0.0005, "企业"),
    CategorySpec("城镇污水处理厂", "D4620", 0.0005, "企业"),
    # Statistics.
    CategorySpec("统计在库企业", "F5161", 0.015, "企业"),
    CategorySpec("在建项目单位", "E4899", 0.003, "企业"),
    # Forestry and wildlife.
    CategorySpec("林木种苗生产经营单位", "A0212", 0.0008, "企业"),
    CategorySpec("草种经营单位", "F5112", 0.0005, "企业"),
    CategorySpec("野生动物人工繁育单位", "A0399", 0.0005, "企业"),
    CategorySpec("野生动物制品经营单位", "F5152", 0.0005, "企业"),
    CategorySpec("中药制药企业", "C2740", 0.0005, "企业"),
    CategorySpec("医疗机构", "Q8411", 0.006, "事业单位"),
    CategorySpec("野生动物展演单位", "N7714", 0.0005, "企业"),
    # Health and sports.
    CategorySpec("游泳场馆", "R8921", 0.0005, "企业"),
    CategorySpec("大型商场超市", "F5212", 0.001, "企业"),
    # Housing and construction, civil air defence.
    CategorySpec("房地产开发企业", "K7010", 0.004, "企业"),
    CategorySpec("房地产经纪机构", "K7030", 0.002, "企业"),
    CategorySpec("人防工程使用单位", "G5449", 0.0008, "企业"),
    CategorySpec("园林绿化企业", "E4891", 0.002, "企业"),
)

_LUCHENG_TASKS = (
    TaskScopeSpec(1, "本辖区内各类学校", ("学校食堂",)),
    TaskScopeSpec(2, "本辖区内机动车排放检验单位", ("机动车排放检验机构",)),
    TaskScopeSpec(3, "本辖区内粮食经营者", ("粮食经营者",)),
    # "所有用工单位" and "各类企业" read literally are most of the directory: 30 % of them is
    # thousands of joint visits for four or five inspectors a department. A county narrows
    # such a scope to the employers its department actually supervises, and so does the demo
    # (the plan page's capacity check shows what the literal reading would cost).
    TaskScopeSpec(
        4,
        "本辖区所有用工单位",
        ("建筑施工企业", "餐饮服务单位", "事业单位", "社会组织"),
    ),
    TaskScopeSpec(5, "本辖区取得道路危险货物运输经营许可的企业", ("道路危险货物运输企业",)),
    TaskScopeSpec(6, "本辖区取得网络货运平台经营资质的企业", ("网络货运平台企业",)),
    TaskScopeSpec(7, "本辖区参建交通运输工程并依法取得资质的参建单位", ("交通运输工程参建单位",)),
    TaskScopeSpec(8, "全区养老机构", ("养老机构",)),
    TaskScopeSpec(9, "本辖区内的旅馆业", ("旅馆",)),
    TaskScopeSpec(10, "本辖区内保安从业经营单位", ("保安服务公司",)),
    TaskScopeSpec(11, "本辖区内民爆物品储存库房", ("民爆物品储存库房",)),
    TaskScopeSpec(12, "本辖区内爆破作业单位", ("爆破作业单位",)),
    TaskScopeSpec(13, "本辖区内网吧", ("网吧",)),
    TaskScopeSpec(14, "本辖区内KTV", ("KTV",)),
    TaskScopeSpec(15, "本辖区艺术品经营单位", ("艺术品经营单位",)),
    TaskScopeSpec(16, "本辖区旅行社", ("旅行社",)),
    TaskScopeSpec(
        17,
        "本辖区新车销售、二手车经营主体和报废机动车回收拆解企业",
        ("新车销售企业", "二手车经营主体", "报废机动车回收拆解企业"),
    ),
    TaskScopeSpec(18, "本辖区内已发行单用途预付卡的备案企业", ("单用途预付卡发卡企业",)),
    TaskScopeSpec(19, "本辖区外国投资者、外商投资企业", ("外商投资企业",)),
    TaskScopeSpec(
        20,
        "本辖区加油站、煤矿、燃气及各类企业",
        ("加油站", "煤矿", "燃气经营企业", "危险化学品经营企业", "危险化学品生产企业"),
    ),
    TaskScopeSpec(21, "经营卷烟零售业务的企业及个人", ("卷烟零售户",)),
    TaskScopeSpec(22, "各类物流、寄递企业", ("物流企业", "寄递企业")),
    TaskScopeSpec(
        23,
        "本辖区内的农药、肥料、农作物种子经营门店",
        ("农药经营门店", "肥料经营门店", "农作物种子经营门店"),
    ),
    TaskScopeSpec(
        24,
        "本辖区内饲料、饲料添加剂、兽药经营门店和畜禽养殖企业",
        ("饲料经营门店", "兽药经营门店", "畜禽养殖企业"),
    ),
    TaskScopeSpec(
        25,
        "本辖区内的危险化学品生产经营企业",
        ("危险化学品生产企业", "危险化学品经营企业"),
    ),
    TaskScopeSpec(26, "本辖区内规模以上冶金工贸企业", ("冶金工贸企业",)),
    # The scope says 检验检测机构; the task and its matter are about 生态环境监测机构.
    TaskScopeSpec(27, "本辖区获得认证资质的检验检测机构", ("生态环境监测机构",)),
    TaskScopeSpec(28, "全区范围内城镇污水处理厂", ("城镇污水处理厂",)),
    TaskScopeSpec(29, "全区统计调查对象", ("统计在库企业", "在建项目单位")),
    TaskScopeSpec(30, "全区中小学校", ("中小学校",)),
    TaskScopeSpec(31, "校外培训机构、民办幼儿园", ("校外培训机构", "民办幼儿园")),
    TaskScopeSpec(
        32,
        "本辖区内的林木种子、草种生产经营单位",
        ("林木种苗生产经营单位", "草种经营单位"),
    ),
    TaskScopeSpec(
        33,
        "本辖区内陆生野生动物人工繁育企业及经营单位、相关制药企业和医疗机构、"
        "野生动物展演单位、相关经营企业",
        (
            "野生动物人工繁育单位",
            "野生动物制品经营单位",
            "中药制药企业",
            "医疗机构",
            "野生动物展演单位",
        ),
    ),
    TaskScopeSpec(34, "游泳场（馆）、大型商场（超市）", ("游泳场馆", "大型商场超市")),
    TaskScopeSpec(35, "燃气经营企业", ("燃气经营企业",)),
    TaskScopeSpec(36, "房地产从业单位", ("房地产开发企业", "房地产经纪机构")),
    TaskScopeSpec(37, "人防工程使用单位", ("人防工程使用单位",)),
    TaskScopeSpec(38, "本辖区园林绿化企业和从业人员", ("园林绿化企业",)),
)

_LUCHENG_CHECK_ITEMS = (
    # 区市场监管局: tasks 1-3.
    CheckItemSpec(
        "区市场监管局",
        "学校食堂食品安全情况的检查",
        f"{_FOOD_SAFETY_LAW}第五十七条",
        "学校食堂",
        "现场检查",
        "食品安全",
    ),
    CheckItemSpec(
        "区市场监管局",
        "机动车排放检验情况检查",
        _AIR_LAW_54,
        "机动车排放检验机构",
        "现场检查",
        "检验检测",
    ),
    CheckItemSpec(
        "区市场监管局",
        "机动车排放检验设备使用情况检查",
        _INSPECTION_BODIES,
        "机动车排放检验机构",
        "现场检查",
        "检验检测",
    ),
    CheckItemSpec(
        "区市场监管局",
        "粮食经营者从事收购、储存、运输活动的监督检查",
        _GRAIN,
        "粮食经营者",
        "现场检查",
    ),
    CheckItemSpec("区市场监管局", "政策性粮食购销活动的监督检查", _GRAIN, "粮食经营者", "书面检查"),
    # 区人力资源和社会保障局: task 4.
    CheckItemSpec("区人力资源和社会保障局", "工资支付情况检查", _WAGES, "企业", "现场检查"),
    CheckItemSpec(
        "区人力资源和社会保障局",
        "劳务派遣等劳动用工情况检查",
        "《劳务派遣暂行规定》",
        "企业",
        "现场检查",
    ),
    # 区交通运输局: tasks 5-7.
    CheckItemSpec(
        "区交通运输局",
        "道路运输相关法律法规执行情况",
        _ROAD_TRANSPORT,
        "道路危险货物运输企业",
        "现场检查",
    ),
    CheckItemSpec(
        "区交通运输局",
        "道路危险货物运输企业经营资质是否符合要求",
        _DANGEROUS_GOODS,
        "道路危险货物运输企业",
        "书面检查",
    ),
    CheckItemSpec(
        "区交通运输局",
        "从业人员证件是否齐全有效",
        "《道路运输从业人员管理规定》",
        "道路危险货物运输企业",
        "现场检查",
    ),
    CheckItemSpec(
        "区交通运输局",
        "营运车辆证件是否齐全有效",
        _DANGEROUS_GOODS,
        "道路危险货物运输企业",
        "现场检查",
    ),
    CheckItemSpec(
        "区交通运输局",
        "道路危险货物运输企业诚信经营情况",
        _ROAD_TRANSPORT,
        "道路危险货物运输企业",
        "书面检查",
    ),
    CheckItemSpec(
        "区交通运输局",
        "道路危险货物运输企业税收缴纳情况",
        _TAX,
        "道路危险货物运输企业",
        "书面检查",
    ),
    CheckItemSpec(
        "区交通运输局",
        "网络货运平台企业经营资质是否符合要求",
        _ONLINE_FREIGHT,
        "网络货运平台企业",
        "网络监测",
    ),
    CheckItemSpec(
        "区交通运输局",
        "网络货运平台企业诚信经营行为",
        _ONLINE_FREIGHT,
        "网络货运平台企业",
        "网络监测",
    ),
    CheckItemSpec(
        "区交通运输局",
        "网络货运平台企业税收缴纳情况",
        _TAX,
        "网络货运平台企业",
        "书面检查",
    ),
    CheckItemSpec(
        "区交通运输局",
        "交通运输产品质量与市场行为监督检查",
        "《公路水运工程质量监督管理规定》",
        "交通运输工程参建单位",
        "现场检查",
    ),
    # 区民政局: task 8.
    CheckItemSpec("区民政局", "养老机构建筑安全的检查", _ELDERLY_CARE, "养老机构", "现场检查"),
    CheckItemSpec(
        "区民政局",
        "养老机构特种设备安全的检查",
        "《中华人民共和国特种设备安全法》",
        "养老机构",
        "现场检查",
        "特种设备",
    ),
    CheckItemSpec(
        "区民政局", "养老机构服务安全和质量的检查", _ELDERLY_CARE, "养老机构", "现场检查"
    ),
    CheckItemSpec(
        "区民政局",
        "养老机构消防安全的检查",
        "《中华人民共和国消防法》",
        "养老机构",
        "现场检查",
        "消防",
    ),
    # 区公安分局: tasks 9-12.
    CheckItemSpec(
        "区公安分局", "旅馆业从业单位的监督检查", "《旅馆业治安管理办法》", "旅馆", "现场检查"
    ),
    CheckItemSpec("区公安分局", "保安从业单位情况的检查", _SECURITY, "保安服务公司", "书面检查"),
    CheckItemSpec("区公安分局", "保安服务活动情况的检查", _SECURITY, "保安服务公司", "现场检查"),
    CheckItemSpec(
        "区公安分局",
        "民用爆炸物品仓储情况的监督检查",
        _EXPLOSIVES,
        "民爆物品储存库房",
        "现场检查",
        "民用爆炸物品",
    ),
    CheckItemSpec(
        "区公安分局",
        "爆破作业单位作业情况的监督检查",
        _EXPLOSIVES,
        "爆破作业单位",
        "现场检查",
        "民用爆炸物品",
    ),
    # 区文化和旅游局: tasks 13-16.
    CheckItemSpec(
        "区文化和旅游局",
        "互联网上网服务营业场所经营单位的检查",
        "《互联网上网服务营业场所管理条例》",
        "网吧",
        "现场检查",
    ),
    CheckItemSpec(
        "区文化和旅游局",
        "营业性演出经营活动从业单位取得许可证情况的检查",
        _PERFORMANCE,
        "KTV",
        "书面检查",
    ),
    CheckItemSpec(
        "区文化和旅游局",
        "营业性演出经营活动从业单位经营情况的检查",
        _PERFORMANCE,
        "KTV",
        "现场检查",
    ),
    CheckItemSpec(
        "区文化和旅游局",
        "艺术品经营单位从事艺术品经营活动的检查",
        "《艺术品经营管理办法》",
        "艺术品经营单位",
        "现场检查",
    ),
    CheckItemSpec(
        "区文化和旅游局", "旅行社取得许可证情况的检查", _TRAVEL_AGENCY, "旅行社", "书面检查"
    ),
    CheckItemSpec("区文化和旅游局", "旅行社经营情况的检查", _TRAVEL_AGENCY, "旅行社", "现场检查"),
    # 区政府招商中心: tasks 17-19.
    CheckItemSpec(
        "区政府招商中心",
        "新车销售活动监管",
        "《汽车销售管理办法》",
        "新车销售企业",
        "现场检查",
    ),
    CheckItemSpec(
        "区政府招商中心", "二手车交易市场活动监管", _USED_CARS, "二手车经营主体", "现场检查"
    ),
    CheckItemSpec(
        "区政府招商中心",
        "报废机动车回收拆解活动监管",
        "《报废机动车回收管理办法》",
        "报废机动车回收拆解企业",
        "现场检查",
    ),
    CheckItemSpec(
        "区政府招商中心",
        "单用途预付卡备案发卡企业的抽查检查",
        _PREPAID_CARD,
        "单用途预付卡发卡企业",
        "书面检查",
    ),
    CheckItemSpec(
        "区政府招商中心",
        "外商投资信息报告的检查",
        "《中华人民共和国外商投资法》第三十四条",
        "外商投资企业",
        "书面检查",
    ),
    # 区气象局: task 20.
    CheckItemSpec("区气象局", "加油站防雷安全的监督检查", _LIGHTNING, "加油站", "现场检查"),
    CheckItemSpec("区气象局", "煤矿防雷安全的监督检查", "《气象灾害防御条例》", "煤矿", "现场检查"),
    CheckItemSpec(
        "区气象局", "燃气经营企业防雷安全的监督检查", _LIGHTNING, "燃气经营企业", "现场检查"
    ),
    CheckItemSpec(
        "区气象局", "企业防雷安全的监督检查", "《中华人民共和国气象法》", "企业", "现场检查"
    ),
    # 长治市潞城区烟草专卖局: tasks 21-22.
    CheckItemSpec(
        "长治市潞城区烟草专卖局",
        "经营卷烟零售业务情况的检查",
        _TOBACCO_RULES,
        "卷烟零售户",
        "现场检查",
    ),
    CheckItemSpec(
        "长治市潞城区烟草专卖局",
        "物流企业运输烟草制品情况的检查",
        _TOBACCO_LAW,
        "物流企业",
        "现场检查",
    ),
    CheckItemSpec(
        "长治市潞城区烟草专卖局",
        "寄递企业运输烟草制品情况的检查",
        _TOBACCO_RULES,
        "寄递企业",
        "现场检查",
    ),
    # 长治市农业综合行政执法队潞城大队: tasks 23-24.
    CheckItemSpec(
        "长治市农业综合行政执法队潞城大队",
        "农药监督检查",
        "《农药管理条例》",
        "农药经营门店",
        "现场检查",
    ),
    CheckItemSpec(
        "长治市农业综合行政执法队潞城大队",
        "肥料监督检查",
        "《肥料登记管理办法》",
        "肥料经营门店",
        "现场检查",
    ),
    CheckItemSpec(
        "长治市农业综合行政执法队潞城大队",
        "农作物种子监督检查",
        _SEED_LAW,
        "农作物种子经营门店",
        "现场检查",
    ),
    CheckItemSpec(
        "长治市农业综合行政执法队潞城大队",
        "兽药使用监督检查",
        _VET_DRUGS,
        "畜禽养殖企业",
        "现场检查",
    ),
    CheckItemSpec(
        "长治市农业综合行政执法队潞城大队",
        "兽药经营监督检查",
        _VET_DRUGS,
        "兽药经营门店",
        "现场检查",
    ),
    CheckItemSpec(
        "长治市农业综合行政执法队潞城大队",
        "养殖档案监督检查",
        "《中华人民共和国畜牧法》",
        "畜禽养殖企业",
        "书面检查",
    ),
    CheckItemSpec(
        "长治市农业综合行政执法队潞城大队",
        "饲料和饲料添加剂监督检查",
        "《饲料和饲料添加剂管理条例》",
        "饲料经营门店",
        "现场检查",
    ),
    # 区应急管理局: tasks 25-26.
    CheckItemSpec(
        "区应急管理局",
        "危险化学品生产企业监督检查",
        _HAZCHEM,
        "危险化学品生产企业",
        "现场检查",
        "危险化学品",
    ),
    CheckItemSpec(
        "区应急管理局",
        "危险化学品经营企业监督检查",
        "《危险化学品经营许可证管理办法》",
        "危险化学品经营企业",
        "现场检查",
        "危险化学品",
    ),
    CheckItemSpec(
        "区应急管理局",
        "规模以上冶金工贸行业领域企业监督检查",
        "《冶金企业和有色金属企业安全生产规定》",
        "冶金工贸企业",
        "现场检查",
        "安全生产",
    ),
    # 区生态环保分局: tasks 27-28; 配合 in task 2.
    CheckItemSpec(
        "区生态环保分局",
        "生态环境监测机构监测情况的检查",
        "《中华人民共和国环境保护法》第十七条",
        "生态环境监测机构",
        "现场检查",
        "检验检测",
    ),
    CheckItemSpec(
        "区生态环保分局",
        "污水处理设施污染防治情况的检查",
        "《城镇排水与污水处理条例》",
        "城镇污水处理厂",
        "现场检查",
    ),
    CheckItemSpec(
        "区生态环保分局",
        "机动车排放检验情况的联网监测检查",
        _AIR_LAW_54,
        "机动车排放检验机构",
        "网络监测",
    ),
    # 区统计局: task 29.
    CheckItemSpec(
        "区统计局",
        "调查对象依法提供统计资料情况的检查",
        _STATISTICS_LAW,
        "统计在库企业",
        "现场检查",
    ),
    CheckItemSpec(
        "区统计局",
        "项目单位依法提供统计资料情况的检查",
        _STATISTICS_RULES,
        "在建项目单位",
        "现场检查",
    ),
    # 区教育局: tasks 30-31.
    CheckItemSpec(
        "区教育局",
        "中小学教育装备产品（含文体教育用品、教学仪器、音体美卫器材、信息技术装备、"
        "课桌椅、校服等）检查",
        "《中华人民共和国产品质量法》",
        "中小学校",
        "现场检查",
    ),
    CheckItemSpec(
        "区教育局",
        "校外培训机构取得证照情况的检查",
        _PRIVATE_EDUCATION,
        "校外培训机构",
        "书面检查",
    ),
    CheckItemSpec("区教育局", "校外培训机构收费情况的检查", _PRICE_LAW, "校外培训机构", "现场检查"),
    CheckItemSpec(
        "区教育局",
        "校外培训机构办学情况的检查",
        "《校外培训行政处罚暂行办法》",
        "校外培训机构",
        "现场检查",
    ),
    CheckItemSpec(
        "区教育局",
        "民办幼儿园收费、办学情况的检查",
        _PRIVATE_EDUCATION,
        "民办幼儿园",
        "现场检查",
    ),
    # 区林业局: tasks 32-33.
    CheckItemSpec(
        "区林业局",
        "林木种子生产经营活动的监督检查",
        _SEED_LAW,
        "林木种苗生产经营单位",
        "现场检查",
    ),
    CheckItemSpec(
        "区林业局",
        "草种生产经营活动的监督检查",
        "《草种管理办法》",
        "草种经营单位",
        "现场检查",
    ),
    CheckItemSpec(
        "区林业局",
        "陆生野生动物人工繁育活动的检查",
        _WILDLIFE_LAW,
        "野生动物人工繁育单位",
        "现场检查",
    ),
    CheckItemSpec(
        "区林业局",
        "国家重点保护陆生野生动物及其制品经营活动的检查",
        _WILDLIFE_LAW,
        "野生动物制品经营单位",
        "现场检查",
    ),
    CheckItemSpec(
        "区林业局",
        "制药企业利用国家重点保护陆生野生动物及其制品活动的检查",
        _WILDLIFE_LAW,
        "中药制药企业",
        "现场检查",
    ),
    CheckItemSpec(
        "区林业局",
        "医疗机构利用国家重点保护陆生野生动物及其制品活动的检查",
        _WILDLIFE_LAW,
        "医疗机构",
        "现场检查",
    ),
    CheckItemSpec(
        "区林业局",
        "野生动物展演单位利用国家重点保护陆生野生动物活动的检查",
        _WILDLIFE_LAW,
        "野生动物展演单位",
        "现场检查",
    ),
    # 区卫体局: task 34.
    CheckItemSpec(
        "区卫体局",
        "游泳场（馆）取得许可证情况的检查",
        _PUBLIC_HYGIENE,
        "游泳场馆",
        "书面检查",
        "卫生监督",
    ),
    CheckItemSpec(
        "区卫体局",
        "游泳场（馆）卫生管理情况的检查",
        _PUBLIC_HYGIENE,
        "游泳场馆",
        "现场检查",
        "卫生监督",
    ),
    CheckItemSpec(
        "区卫体局",
        "商场（超市）取得许可证情况的检查",
        _PUBLIC_HYGIENE,
        "大型商场超市",
        "书面检查",
        "卫生监督",
    ),
    CheckItemSpec(
        "区卫体局",
        "商场（超市）卫生管理情况的检查",
        _PUBLIC_HYGIENE,
        "大型商场超市",
        "现场检查",
        "卫生监督",
    ),
    # 区住建局: tasks 35, 36, 38.
    CheckItemSpec("区住建局", "燃气经营许可证取得情况的检查", _GAS, "燃气经营企业", "书面检查"),
    CheckItemSpec("区住建局", "燃气经营监督执法检查", _GAS, "燃气经营企业", "现场检查"),
    CheckItemSpec(
        "区住建局",
        "房地产开发企业市场监督执法检查",
        "《城市房地产开发经营管理条例》",
        "房地产开发企业",
        "现场检查",
    ),
    CheckItemSpec(
        "区住建局",
        "房地产经纪机构市场监督执法检查",
        "《房地产经纪管理办法》",
        "房地产经纪机构",
        "现场检查",
    ),
    CheckItemSpec(
        "区住建局",
        "园林绿化工程建设市场监管",
        "《城市绿化条例》",
        "园林绿化企业",
        "现场检查",
    ),
    # 区人防部门: task 37.
    CheckItemSpec(
        "区人防部门",
        "公用人防工程维护管理情况的监督检查",
        _CIVIL_AIR_DEFENCE,
        "人防工程使用单位",
        "现场检查",
    ),
    CheckItemSpec(
        "区人防部门",
        "公用人防工程平时使用情况的监督检查",
        _CIVIL_AIR_DEFENCE,
        "人防工程使用单位",
        "现场检查",
    ),
    # 配合-only departments: items taken from the matters of the tasks they join.
    CheckItemSpec(  # task 37
        "区消防救援大队",
        "人防工程使用单位履行法定消防安全职责情况的检查",
        _FIRE_LAW_16,
        "人防工程使用单位",
        "现场检查",
        "消防",
    ),
    CheckItemSpec(  # task 37
        "区消防救援大队",
        "公用人防工程消防设施器材完好有效情况的检查",
        _FIRE_INSPECTION,
        "人防工程使用单位",
        "现场检查",
        "消防",
    ),
    CheckItemSpec(  # task 3
        "区发改局",
        "粮食收购、储存、运输活动的监督检查",
        _GRAIN,
        "粮食经营者",
        "现场检查",
    ),
    CheckItemSpec(  # task 3
        "区发改局",
        "政策性粮食购销活动执行情况的检查",
        _GRAIN,
        "粮食经营者",
        "书面检查",
    ),
    CheckItemSpec(  # tasks 5, 6
        "区税务局",
        "道路危险货物运输企业纳税申报和税款缴纳情况检查",
        _TAX,
        "道路危险货物运输企业",
        "书面检查",
    ),
    CheckItemSpec(  # tasks 5, 6
        "区税务局",
        "网络货运平台企业纳税申报和税款缴纳情况检查",
        _TAX,
        "网络货运平台企业",
        "书面检查",
    ),
    CheckItemSpec(  # task 4
        "区水利局",
        "水利工程建设领域工资支付情况检查",
        _WAGES,
        "建筑施工企业",
        "现场检查",
    ),
    CheckItemSpec(  # task 4
        "区水利局",
        "水利工程建设领域劳务派遣等劳动用工情况检查",
        "《中华人民共和国劳动合同法》",
        "建筑施工企业",
        "书面检查",
    ),
)

LUCHENG: DistrictSpec = DistrictSpec(
    province=("140000", "山西省"),
    city=("140400", "长治市"),
    county=("140406", "潞城区"),
    plan_file="lucheng-2023-plan.txt",
    plan_year=2023,
    departments=_LUCHENG_DEPARTMENTS,
    categories=_LUCHENG_CATEGORIES,
    tasks=_LUCHENG_TASKS,
    check_items=_LUCHENG_CHECK_ITEMS,
)

# ---------------------------------------------------------------------------------------------
# 晋城市城区, 2024
# ---------------------------------------------------------------------------------------------

_JINCHENG_CHENGQU_DEPARTMENTS = (
    DepartmentSpec(
        name="晋城市城区市场监督管理局",
        short_name="城区市场监管局",
        aliases=(),
        is_coordinator=True,
    ),
    DepartmentSpec(name="晋城市城区教育科技局", short_name="城区教科局", aliases=()),
    DepartmentSpec(name="晋城市城区卫生健康和体育局", short_name="城区卫体局", aliases=()),
    DepartmentSpec(name="晋城市城区商务局", short_name="城区商务局", aliases=()),
    DepartmentSpec(name="晋城市城区住房和城乡建设局", short_name="城区住建局", aliases=()),
    DepartmentSpec(
        name="晋城市城区人力资源和社会保障局",
        short_name="城区人社局",
        aliases=("区人社局",),
    ),
    DepartmentSpec(name="晋城市城区人民防空办公室", short_name="城区人防办", aliases=()),
    DepartmentSpec(name="晋城市城区统计局", short_name="城区统计局", aliases=()),
    DepartmentSpec(name="晋城市城区烟草专卖局", short_name="城区烟草局", aliases=()),
    DepartmentSpec(
        name="晋城市城区消防救援大队",
        short_name="城区消防救援大队",
        aliases=("城区消防救援支队",),  # task 9 writes 支队; a district unit is a 大队
    ),
    DepartmentSpec(name="晋城市城区文化和旅游局", short_name="城区文旅局", aliases=()),
    DepartmentSpec(name="晋城市公安局城区分局", short_name="城区公安局", aliases=()),
    DepartmentSpec(name="晋城市城区医疗保障局", short_name="城区医保局", aliases=()),
    DepartmentSpec(name="晋城市城区交通运输局", short_name="城区交通局", aliases=()),
    DepartmentSpec(name="晋城市生态环境局城区分局", short_name="城区生态局", aliases=()),
    DepartmentSpec(name="晋城市城区行政审批服务管理局", short_name="城区审批局", aliases=()),
)

_JINCHENG_CHENGQU_CATEGORIES = (
    # Broad tags (the generic population no specific tag describes) and everyday trades.
    CategorySpec("企业", "F5199", 0.2685, "企业"),
    CategorySpec("个体工商户", "F5299", 0.5400, "个体工商户"),
    CategorySpec("机关", "S9221", 0.002, "机关"),
    CategorySpec("事业单位", "N7810", 0.006, "事业单位"),
    CategorySpec("社会组织", "S9522", 0.005, "社会组织"),
    CategorySpec("餐饮服务单位", "H6210", 0.045, "个体工商户"),
    CategorySpec("零售商店", "F5213", 0.035, "个体工商户"),
    # Education, health.
    CategorySpec("中小学校", "P8321", 0.003, "事业单位"),
    CategorySpec("学校食堂", "P8331", 0.003, "事业单位"),
    CategorySpec("营利性民办幼儿园", "P8310", 0.002, "企业"),
    CategorySpec("社区卫生服务中心", "Q8421", 0.0006, "事业单位"),
    # Commerce.
    CategorySpec("汽车销售企业", "F5261", 0.002, "企业"),
    CategorySpec("单用途预付卡发卡企业", "F5211", 0.005, "企业"),
    CategorySpec("二手车交易市场", "L7223", 0.0005, "企业"),
    CategorySpec("二手车经营主体", "F5262", 0.002, "企业"),
    # Construction, labour, civil air defence, statistics.
    CategorySpec("建筑施工企业", "E4710", 0.008, "企业"),
    CategorySpec("在建项目单位", "E4899", 0.004, "企业"),
    CategorySpec("劳务派遣机构", "L7263", 0.001, "企业"),
    CategorySpec("人防工程使用单位", "G5449", 0.001, "企业"),
    CategorySpec("统计在库企业", "F5161", 0.02, "企业"),
    # Tobacco.
    CategorySpec("卷烟零售企业", "F5227", 0.01, "企业"),
    CategorySpec("物流企业", "G5431", 0.006, "企业"),
    CategorySpec("寄递企业", "G6020", 0.002, "企业"),
    # Fire safety, culture.
    CategorySpec("公共娱乐场所", "R9011", 0.003, "企业"),
    CategorySpec("文博场所", "R8850", 0.0005, "事业单位"),
    CategorySpec("物业服务企业", "K7020", 0.006, "企业"),
    CategorySpec("营业性演出单位", "R8810", 0.0008, "企业"),
    CategorySpec("旅游景区", "N7851", 0.0005, "企业"),
    # Public security, market supervision, sports.
    CategorySpec("保安服务公司", "L7271", 0.001, "企业"),
    CategorySpec("机动车排放检验机构", "M7452", 0.0005, "企业"),
    CategorySpec("滑雪场", "R8930", 0.0005, "企业"),
    CategorySpec("游泳场馆", "R8921", 0.0008, "企业"),
    # Medical insurance.
    CategorySpec("医疗保障经办机构", "S9412", 0.0005, "事业单位"),
    # Transport.
    CategorySpec("机动车驾驶员培训机构", "P8391", 0.0008, "企业"),
    CategorySpec("机动车维修企业", "O8111", 0.012, "企业"),
    CategorySpec("道路危险货物运输企业", "G5435", 0.001, "企业"),
    CategorySpec("道路运输车辆检测机构", "M7452", 0.0005, "企业"),
)

_JINCHENG_CHENGQU_TASKS = (
    TaskScopeSpec(1, "全区中小学、普通初中", ("中小学校",)),
    TaskScopeSpec(2, "全区营利性民办幼儿园", ("营利性民办幼儿园",)),
    TaskScopeSpec(3, "城区范围内的社区卫生服务中心", ("社区卫生服务中心",)),
    TaskScopeSpec(4, "全区汽车销售企业", ("汽车销售企业",)),
    # The scope cell only says 城区; the task is about 单用途商业预付卡.
    TaskScopeSpec(5, "城区", ("单用途预付卡发卡企业",)),
    TaskScopeSpec(6, "全区二手车销售企业", ("二手车交易市场", "二手车经营主体")),
    TaskScopeSpec(7, "全区建设工程项目", ("建筑施工企业", "在建项目单位")),
    TaskScopeSpec(8, "全区劳务派遣机构", ("劳务派遣机构",)),
    TaskScopeSpec(9, "全区人防工程使用单位", ("人防工程使用单位",)),
    TaskScopeSpec(10, "全区在库企业及项目单位", ("统计在库企业", "在建项目单位")),
    TaskScopeSpec(11, "全区经营卷烟零售业务的企业", ("卷烟零售企业",)),
    TaskScopeSpec(12, "全区物流寄递企业", ("物流企业", "寄递企业")),
    # 校园消防安全 with a scope covering every unit: the broad tags plus the schools.
    TaskScopeSpec(
        13,
        "全区机关、团体、企业、事业等单位",
        ("机关", "社会组织", "企业", "事业单位", "中小学校", "营利性民办幼儿园"),
    ),
    TaskScopeSpec(14, "全区公共娱乐场所、文博场所等", ("公共娱乐场所", "文博场所")),
    TaskScopeSpec(15, "全区住宅小区", ("物业服务企业",)),
    TaskScopeSpec(16, "全区营业性演出单位", ("营业性演出单位",)),
    TaskScopeSpec(17, "全区学校食堂", ("学校食堂",)),
    TaskScopeSpec(18, "全市保安公司", ("保安服务公司",)),
    TaskScopeSpec(19, "全市机动车排放检验机构", ("机动车排放检验机构",)),
    # "滑雪等高危险性体育项目": the matters (救生员, 水质) also cover swimming venues.
    TaskScopeSpec(20, "滑雪经营单位", ("滑雪场", "游泳场馆")),
    TaskScopeSpec(21, "晋城市医疗保险事务中心", ("医疗保障经办机构",)),
    TaskScopeSpec(22, "全区景区经营单位", ("旅游景区",)),
    TaskScopeSpec(23, "全区依法取得机动车驾驶员培训机构资格的企业", ("机动车驾驶员培训机构",)),
    TaskScopeSpec(24, "全区依法取得机动车维修资格备案的企业", ("机动车维修企业",)),
    TaskScopeSpec(25, "全区依法取得道路危险货物运输经营资格的企业", ("道路危险货物运输企业",)),
    TaskScopeSpec(26, "全区内依法取得道路运输车辆达标管理的机构", ("道路运输车辆检测机构",)),
    TaskScopeSpec(
        27,
        "全区注册资本3000万元以上企业",
        ("企业", "统计在库企业"),
        min_registered_capital=3000,
    ),
)

_JINCHENG_CHENGQU_CHECK_ITEMS = (
    # 城区教科局: tasks 1-2.
    CheckItemSpec(
        "城区教科局",
        "中小学教育装备产品（含信息技术装备、校服等）检查",
        "《中华人民共和国产品质量法》",
        "中小学校",
        "现场检查",
    ),
    CheckItemSpec(
        "城区教科局",
        "中小学招生、办学情况的检查",
        "《中华人民共和国义务教育法》",
        "中小学校",
        "现场检查",
    ),
    CheckItemSpec(
        "城区教科局",
        "中小学执行政府定价、政府指导价情况，明码标价情况及其他价格行为的检查",
        _PRICE_LAW,
        "中小学校",
        "现场检查",
    ),
    CheckItemSpec(
        "城区教科局",
        "民办学校执行民办教育促进法及其实施条例、山西省实施办法情况的检查",
        "《中华人民共和国民办教育促进法实施条例》",
        "营利性民办幼儿园",
        "现场检查",
    ),
    CheckItemSpec(
        "城区教科局",
        "民办幼儿园执行政府定价、政府指导价情况，明码标价情况及其他价格行为的检查",
        _PRICE_LAW,
        "营利性民办幼儿园",
        "现场检查",
    ),
    # 城区卫体局: tasks 3, 20.
    CheckItemSpec(
        "城区卫体局",
        "医疗机构综合管理的检查",
        "《医疗机构管理条例》",
        "社区卫生服务中心",
        "现场检查",
        "卫生监督",
    ),
    CheckItemSpec(
        "城区卫体局",
        "医疗机构执行政府定价、政府指导价情况，明码标价情况及其他价格行为的检查",
        _PRICE_LAW,
        "社区卫生服务中心",
        "书面检查",
    ),
    CheckItemSpec(
        "城区卫体局",
        "高危险性体育项目经营许可证取得情况的检查",
        _HIGH_RISK_SPORTS,
        "滑雪场",
        "书面检查",
    ),
    CheckItemSpec(
        "城区卫体局",
        "高危险性体育项目安全生产和设施设备情况的检查",
        _HIGH_RISK_SPORTS,
        "滑雪场",
        "现场检查",
    ),
    CheckItemSpec("城区卫体局", "救生员配备情况的检查", _HIGH_RISK_SPORTS, "游泳场馆", "现场检查"),
    CheckItemSpec("城区卫体局", "教练员配备情况的检查", _HIGH_RISK_SPORTS, "滑雪场", "现场检查"),
    CheckItemSpec(
        "城区卫体局",
        "规章制度和应急预案情况的检查",
        _HIGH_RISK_SPORTS,
        "滑雪场",
        "书面检查",
    ),
    CheckItemSpec(
        "城区卫体局",
        "游泳场所水质情况的检查",
        _PUBLIC_HYGIENE,
        "游泳场馆",
        "现场检查",
        "卫生监督",
    ),
    CheckItemSpec(
        "城区卫体局",
        "高危险性体育项目经营情况的检查",
        "《全民健身条例》",
        "滑雪场",
        "现场检查",
    ),
    # 城区商务局: tasks 4-6.
    CheckItemSpec(
        "城区商务局",
        "从事汽车销售及其相关服务活动的检查",
        "《汽车销售管理办法》",
        "汽车销售企业",
        "现场检查",
    ),
    CheckItemSpec(
        "城区商务局",
        "汽车销售企业登记事项和公示信息检查",
        _DISCLOSURE,
        "汽车销售企业",
        "书面检查",
    ),
    CheckItemSpec(
        "城区商务局",
        "单用途卡备案情况的检查",
        _PREPAID_CARD,
        "单用途预付卡发卡企业",
        "书面检查",
    ),
    CheckItemSpec(
        "城区商务局",
        "章程或协议公示情况以及退卡服务情况的检查",
        _PREPAID_CARD,
        "单用途预付卡发卡企业",
        "现场检查",
    ),
    CheckItemSpec(
        "城区商务局",
        "实名制、限额制、非现金制、资金存管制度的执行情况检查",
        _PREPAID_CARD,
        "单用途预付卡发卡企业",
        "书面检查",
    ),
    CheckItemSpec(
        "城区商务局",
        "填报单用途卡业务情况的检查",
        _PREPAID_CARD,
        "单用途预付卡发卡企业",
        "书面检查",
    ),
    CheckItemSpec(
        "城区商务局",
        "规模发卡企业登录商务部“单用途商业预付卡业务信息系统”填报情况的检查",
        _PREPAID_CARD,
        "单用途预付卡发卡企业",
        "网络监测",
    ),
    CheckItemSpec(
        "城区商务局",
        "发卡企业登记事项和公示信息检查",
        _DISCLOSURE,
        "单用途预付卡发卡企业",
        "书面检查",
    ),
    CheckItemSpec("城区商务局", "二手车交易市场的检查", _USED_CARS, "二手车交易市场", "现场检查"),
    CheckItemSpec("城区商务局", "二手车经营主体的检查", _USED_CARS, "二手车经营主体", "现场检查"),
    CheckItemSpec(
        "城区商务局",
        "二手车经营主体登记事项和公示信息检查",
        _DISCLOSURE,
        "二手车经营主体",
        "书面检查",
    ),
    # 城区住建局: task 7.
    CheckItemSpec("城区住建局", "建筑用工实名制情况检查", _WAGES, "建筑施工企业", "现场检查"),
    CheckItemSpec("城区住建局", "工程款支付情况检查", _WAGES, "在建项目单位", "书面检查"),
    CheckItemSpec(
        "城区住建局",
        "用人单位遵守劳动保障法律法规的检查",
        "《劳动保障监察条例》",
        "建筑施工企业",
        "现场检查",
    ),
    # 城区人社局: task 8; 配合 in task 7.
    CheckItemSpec(
        "城区人社局",
        "劳务派遣用工检查",
        "《劳务派遣暂行规定》",
        "劳务派遣机构",
        "现场检查",
    ),
    CheckItemSpec(
        "城区人社局",
        "劳务派遣机构登记事项和公示信息检查",
        _DISCLOSURE,
        "劳务派遣机构",
        "书面检查",
    ),
    CheckItemSpec(
        "城区人社局",
        "建筑施工企业遵守劳动保障法律法规的检查",
        "《劳动保障监察条例》",
        "建筑施工企业",
        "现场检查",
    ),
    # 城区人防办: task 9.
    CheckItemSpec(
        "城区人防办",
        "人防工程维护管理监督检查",
        _CIVIL_AIR_DEFENCE,
        "人防工程使用单位",
        "现场检查",
    ),
    CheckItemSpec(
        "城区人防办",
        "单位履行法定消防安全职责情况的监督抽查",
        _FIRE_LAW_16,
        "人防工程使用单位",
        "现场检查",
        "消防",
    ),
    # 城区统计局: task 10.
    CheckItemSpec(
        "城区统计局",
        "对调查对象依法提供统计资料情况的检查",
        _STATISTICS_LAW,
        "统计在库企业",
        "现场检查",
    ),
    CheckItemSpec(
        "城区统计局",
        "对调查对象依法设置原始记录和统计台账情况的检查",
        _STATISTICS_LAW,
        "统计在库企业",
        "现场检查",
    ),
    CheckItemSpec(
        "城区统计局",
        "对调查对象依法建立并执行统计资料管理制度情况的检查",
        _STATISTICS_RULES,
        "统计在库企业",
        "书面检查",
    ),
    CheckItemSpec(
        "城区统计局",
        "对项目单位依法提供统计资料情况的检查",
        _STATISTICS_LAW,
        "在建项目单位",
        "现场检查",
    ),
    CheckItemSpec(
        "城区统计局",
        "统计调查对象登记事项和公示信息检查",
        _DISCLOSURE,
        "统计在库企业",
        "书面检查",
    ),
    # 城区烟草局: tasks 11-12.
    CheckItemSpec(
        "城区烟草局",
        "烟草专卖零售许可证使用情况的检查",
        _TOBACCO_RULES,
        "卷烟零售企业",
        "现场检查",
    ),
    CheckItemSpec(
        "城区烟草局",
        "卷烟零售企业登记事项和公示信息检查",
        _DISCLOSURE,
        "卷烟零售企业",
        "书面检查",
    ),
    CheckItemSpec(
        "城区烟草局",
        "物流企业非法运输烟草专卖品违法行为的检查",
        _TOBACCO_LAW,
        "物流企业",
        "现场检查",
    ),
    CheckItemSpec(
        "城区烟草局",
        "寄递企业非法寄递烟草专卖品违法行为的检查",
        _TOBACCO_RULES,
        "寄递企业",
        "现场检查",
    ),
    CheckItemSpec(
        "城区烟草局",
        "物流寄递企业登记事项和公示信息检查",
        _DISCLOSURE,
        "物流企业",
        "书面检查",
    ),
    # 城区消防救援大队: tasks 13-15; 配合 in task 9.
    CheckItemSpec(
        "城区消防救援大队",
        "学校履行法定消防安全职责情况的监督检查",
        _FIRE_LAW_16,
        "中小学校",
        "现场检查",
        "消防",
    ),
    CheckItemSpec(
        "城区消防救援大队",
        "学校消防安全管理的检查",
        "《机关、团体、企业、事业单位消防安全管理规定》",
        "中小学校",
        "现场检查",
        "消防",
    ),
    CheckItemSpec(
        "城区消防救援大队",
        "单位履行法定消防安全职责情况的监督检查",
        _FIRE_LAW_16,
        "企业",
        "现场检查",
        "消防",
    ),
    CheckItemSpec(
        "城区消防救援大队",
        "公共娱乐场所履行法定消防安全职责情况的监督检查",
        _FIRE_LAW_16,
        "公共娱乐场所",
        "现场检查",
        "消防",
    ),
    CheckItemSpec(
        "城区消防救援大队",
        "公共娱乐场所消防安全相关检查",
        "《公共娱乐场所消防安全管理规定》",
        "公共娱乐场所",
        "现场检查",
        "消防",
    ),
    CheckItemSpec(
        "城区消防救援大队",
        "文博场所履行法定消防安全职责情况的监督检查",
        _FIRE_LAW_16,
        "文博场所",
        "现场检查",
        "消防",
    ),
    CheckItemSpec(
        "城区消防救援大队",
        "住宅小区物业服务企业履行法定消防安全职责情况的监督检查",
        "《中华人民共和国消防法》第十八条",
        "物业服务企业",
        "现场检查",
        "消防",
    ),
    CheckItemSpec(
        "城区消防救援大队",
        "住宅小区消防安全相关检查",
        _FIRE_INSPECTION,
        "物业服务企业",
        "现场检查",
        "消防",
    ),
    CheckItemSpec(
        "城区消防救援大队",
        "人防工程消防安全情况的监督检查",
        _FIRE_INSPECTION,
        "人防工程使用单位",
        "现场检查",
        "消防",
    ),
    # 城区文旅局: tasks 16, 22.
    CheckItemSpec(
        "城区文旅局",
        "营业性演出经营活动从业单位取得许可证的检查",
        _PERFORMANCE,
        "营业性演出单位",
        "书面检查",
    ),
    CheckItemSpec(
        "城区文旅局",
        "营业性演出单位登记事项和公示信息检查",
        _DISCLOSURE,
        "营业性演出单位",
        "书面检查",
    ),
    CheckItemSpec(
        "城区文旅局",
        "景区是否存在违规行为的检查",
        "《中华人民共和国旅游法》",
        "旅游景区",
        "现场检查",
    ),
    CheckItemSpec("城区文旅局", "景区登记事项和公示信息检查", _DISCLOSURE, "旅游景区", "书面检查"),
    CheckItemSpec(
        "城区文旅局",
        "景区执行政府定价、政府指导价情况，明码标价情况及其他价格行为的检查",
        _PRICE_LAW,
        "旅游景区",
        "现场检查",
    ),
    # 城区市场监管局: tasks 17, 19, 27.
    CheckItemSpec(
        "城区市场监管局",
        "学校食品卫生安全管理督查",
        f"{_FOOD_SAFETY_LAW}第五十七条",
        "学校食堂",
        "现场检查",
        "食品安全",
    ),
    CheckItemSpec(
        "城区市场监管局",
        "学校食堂人员管理情况的检查",
        f"{_FOOD_SAFETY_LAW}第四十五条",
        "学校食堂",
        "现场检查",
        "食品安全",
    ),
    CheckItemSpec(
        "城区市场监管局",
        "机动车排放检验情况的检查",
        _AIR_LAW_54,
        "机动车排放检验机构",
        "现场检查",
        "检验检测",
    ),
    CheckItemSpec(
        "城区市场监管局",
        "机动车排放检验设备使用情况的检查",
        _INSPECTION_BODIES,
        "机动车排放检验机构",
        "现场检查",
        "检验检测",
    ),
    CheckItemSpec(
        "城区市场监管局",
        "市场主体登记事项和公示信息检查",
        _DISCLOSURE,
        "企业",
        "书面检查",
    ),
    CheckItemSpec(
        "城区市场监管局",
        "企业年度报告公示信息检查",
        f"{_DISCLOSURE}第八条",
        "企业",
        "网络监测",
    ),
    # 城区公安局: task 18.
    CheckItemSpec(
        "城区公安局",
        "保安服务公司基本情况、经营情况的检查",
        _SECURITY,
        "保安服务公司",
        "现场检查",
    ),
    CheckItemSpec(
        "城区公安局", "保安服务公司制度落实情况的检查", _SECURITY, "保安服务公司", "书面检查"
    ),
    CheckItemSpec(
        "城区公安局", "保安员培训、管理等情况的检查", _SECURITY, "保安服务公司", "现场检查"
    ),
    # 城区医保局: task 21.
    CheckItemSpec(
        "城区医保局",
        "执行全省统一的医疗保障经办政务服务事项清单情况的检查",
        _SOCIAL_INSURANCE_AGENCIES,
        "医疗保障经办机构",
        "书面检查",
    ),
    CheckItemSpec(
        "城区医保局",
        "医疗保障经办办事指南执行及调整更新情况的检查",
        _SOCIAL_INSURANCE_AGENCIES,
        "医疗保障经办机构",
        "网络监测",
    ),
    # 城区交通局: tasks 23-26.
    CheckItemSpec(
        "城区交通局",
        "对机动车驾驶员培训机构经营行为的行政检查",
        "《机动车驾驶员培训管理规定》",
        "机动车驾驶员培训机构",
        "现场检查",
    ),
    CheckItemSpec(
        "城区交通局",
        "机动车驾驶员培训机构登记事项和公示信息检查",
        _DISCLOSURE,
        "机动车驾驶员培训机构",
        "书面检查",
    ),
    CheckItemSpec(
        "城区交通局",
        "对机动车维修企业经营行为的行政检查",
        "《机动车维修管理规定》",
        "机动车维修企业",
        "现场检查",
    ),
    CheckItemSpec(
        "城区交通局",
        "机动车维修企业登记事项和公示信息检查",
        _DISCLOSURE,
        "机动车维修企业",
        "书面检查",
    ),
    CheckItemSpec(
        "城区交通局",
        "对从事危险货物道路运输企业经营行为的行政检查",
        _DANGEROUS_GOODS,
        "道路危险货物运输企业",
        "现场检查",
    ),
    CheckItemSpec(
        "城区交通局",
        "对从事危险货物道路运输的人员从业行为的行政检查",
        "《道路运输从业人员管理规定》",
        "道路危险货物运输企业",
        "现场检查",
    ),
    CheckItemSpec(
        "城区交通局",
        "危险货物道路运输企业登记事项和公示信息检查",
        _DISCLOSURE,
        "道路危险货物运输企业",
        "书面检查",
    ),
    CheckItemSpec(
        "城区交通局",
        "对道路运输车辆达标管理机构的行政检查",
        "《道路运输车辆技术管理规定》",
        "道路运输车辆检测机构",
        "现场检查",
    ),
    CheckItemSpec(
        "城区交通局",
        "道路运输车辆达标管理机构检验检测机构检查",
        _INSPECTION_BODIES,
        "道路运输车辆检测机构",
        "现场检查",
        "检验检测",
    ),
    # 配合-only departments: items taken from the matters of the tasks they join.
    CheckItemSpec(  # task 19
        "城区生态局",
        "机动车排放检验情况的联网监测检查",
        _AIR_LAW_54,
        "机动车排放检验机构",
        "网络监测",
    ),
    CheckItemSpec(  # task 19
        "城区生态局",
        "机动车排放检验设备使用情况的现场核查",
        _AIR_LAW_54,
        "机动车排放检验机构",
        "现场检查",
        "检验检测",
    ),
    CheckItemSpec(  # task 21
        "城区审批局",
        "医疗保障经办政务服务事项清单执行情况的检查",
        _BUSINESS_ENVIRONMENT,
        "医疗保障经办机构",
        "书面检查",
    ),
    CheckItemSpec(  # task 21
        "城区审批局",
        "医疗保障经办办事指南公开和更新情况的检查",
        _BUSINESS_ENVIRONMENT,
        "医疗保障经办机构",
        "网络监测",
    ),
)

JINCHENG_CHENGQU: DistrictSpec = DistrictSpec(
    province=("140000", "山西省"),
    city=("140500", "晋城市"),
    county=("140502", "城区"),
    plan_file="jincheng-chengqu-2024-plan.txt",
    plan_year=2024,
    departments=_JINCHENG_CHENGQU_DEPARTMENTS,
    categories=_JINCHENG_CHENGQU_CATEGORIES,
    tasks=_JINCHENG_CHENGQU_TASKS,
    check_items=_JINCHENG_CHENGQU_CHECK_ITEMS,
)

DISTRICTS: tuple[DistrictSpec, ...] = (LUCHENG, JINCHENG_CHENGQU)

QUALIFICATIONS: tuple[str, ...] = (
    "食品安全",
    "特种设备",
    "消防",
    "危险化学品",
    "民用爆炸物品",
    "安全生产",
    "卫生监督",
    "检验检测",
)

# ---------------------------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------------------------

# GB/T 4754-2017 sections and the two-digit divisions each one spans.
_SECTIONS: tuple[tuple[str, int, int], ...] = (
    ("A", 1, 5),
    ("B", 6, 12),
    ("C", 13, 43),
    ("D", 44, 46),
    ("E", 47, 50),
    ("F", 51, 52),
    ("G", 53, 60),
    ("H", 61, 62),
    ("I", 63, 65),
    ("J", 66, 69),
    ("K", 70, 70),
    ("L", 71, 72),
    ("M", 73, 75),
    ("N", 76, 79),
    ("O", 80, 82),
    ("P", 83, 83),
    ("Q", 84, 85),
    ("R", 86, 90),
    ("S", 91, 96),
    ("T", 97, 97),
)

_MIN_SHARE = 0.0005
_MIN_ITEMS_PER_DEPARTMENT = 2


def _industry_code_problem(code: str) -> str | None:
    if len(code) != 5 or not code[1:].isdigit() or not code[1:].isascii():
        return "is not a section letter followed by 4 digits"
    division = int(code[1:3])
    for letter, low, high in _SECTIONS:
        if low <= division <= high:
            if code[0] != letter:
                return f"division {code[1:3]} belongs to section {letter}"
            return None
    return f"division {code[1:3]} does not exist"


def _duplicates(values: list[str]) -> list[str]:
    seen: set[str] = set()
    dupes: list[str] = []
    for value in values:
        if value in seen and value not in dupes:
            dupes.append(value)
        seen.add(value)
    return dupes


def _validate_district(d: DistrictSpec) -> list[str]:
    where = d.county[1]
    problems: list[str] = []

    # Administrative codes.
    if d.city[0][:2] != d.province[0][:2] or d.county[0][:4] != d.city[0][:4]:
        problems.append(f"{where}: codes {d.province[0]}/{d.city[0]}/{d.county[0]} do not nest")

    # Departments.
    problems += [
        f"{where}: duplicate department name {n}"
        for n in _duplicates([x.name for x in d.departments])
    ]
    owner: dict[str, str] = {}
    for dept in d.departments:
        if dept.short_name in dept.aliases:
            problems.append(f"{where}: {dept.short_name} repeats its short_name among aliases")
        problems += [
            f"{where}: {dept.short_name} lists alias {a} twice"
            for a in _duplicates(list(dept.aliases))
        ]
        for spelling in (dept.short_name, *dept.aliases):
            other = owner.setdefault(spelling, dept.short_name)
            if other != dept.short_name:
                problems.append(
                    f"{where}: spelling {spelling} belongs to {other} and {dept.short_name}"
                )
    coordinators = [x.short_name for x in d.departments if x.is_coordinator]
    if len(coordinators) != 1:
        problems.append(f"{where}: expected exactly one coordinator, found {coordinators}")

    # Categories.
    category_names = {c.name for c in d.categories}
    problems += [
        f"{where}: duplicate category {n}" for n in _duplicates([c.name for c in d.categories])
    ]
    for cat in d.categories:
        code_problem = _industry_code_problem(cat.industry_code)
        if code_problem:
            problems.append(f"{where}: category {cat.name} code {cat.industry_code} {code_problem}")
        if not _MIN_SHARE <= cat.share <= 1:
            problems.append(f"{where}: category {cat.name} share {cat.share} out of range")
        if cat.kind not in KINDS:
            problems.append(f"{where}: category {cat.name} has unknown kind {cat.kind}")
    total = sum(c.share for c in d.categories)
    if total > 1.0 + 1e-9:
        problems.append(f"{where}: category shares add up to {total:.4f} > 1")

    # Tasks.
    numbers = [t.number for t in d.tasks]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"{where}: task numbers are not 1..{len(numbers)} in order: {numbers}")
    for task in d.tasks:
        if not task.scope_text or task.scope_text != task.scope_text.strip():
            problems.append(f"{where}: task {task.number} has a blank or unstripped scope_text")
        if not task.categories:
            problems.append(f"{where}: task {task.number} has no categories")
        problems += [
            f"{where}: task {task.number} repeats category {n}"
            for n in _duplicates(list(task.categories))
        ]
        problems += [
            f"{where}: task {task.number} uses unknown category {n}"
            for n in task.categories
            if n not in category_names
        ]
        if task.min_registered_capital is not None and task.min_registered_capital <= 0:
            problems.append(f"{where}: task {task.number} has a non-positive capital threshold")

    # Check items.
    short_names = {x.short_name for x in d.departments}
    problems += [
        f"{where}: duplicate check item {key}"
        for key in _duplicates([f"{i.department} / {i.name}" for i in d.check_items])
    ]
    for item in d.check_items:
        label = f"{where}: check item {item.name}"
        if item.department not in short_names:
            problems.append(f"{label} has unknown department {item.department}")
        if item.object_type not in category_names:
            problems.append(f"{label} has unknown object_type {item.object_type}")
        if item.method not in METHODS:
            problems.append(f"{label} has unknown method {item.method}")
        if item.qualification and item.qualification not in QUALIFICATIONS:
            problems.append(f"{label} has unknown qualification {item.qualification}")
        if not (item.legal_basis.startswith("《") and "》" in item.legal_basis):
            problems.append(f"{label} has a legal_basis that does not cite a 《law》")
    for dept in d.departments:
        count = sum(1 for i in d.check_items if i.department == dept.short_name)
        if count < _MIN_ITEMS_PER_DEPARTMENT:
            problems.append(f"{where}: department {dept.short_name} has {count} check item(s)")
    return problems


def validate() -> list[str]:
    """Return human-readable problems with the catalogue; an empty list means it is consistent."""
    problems: list[str] = []
    problems += [f"duplicate county {c}" for c in _duplicates([d.county[0] for d in DISTRICTS])]
    for district in DISTRICTS:
        problems += _validate_district(district)
    # Categories are shared across districts by name, so a name means one code and one kind.
    first: dict[str, CategorySpec] = {}
    for district in DISTRICTS:
        for cat in district.categories:
            seen = first.setdefault(cat.name, cat)
            if (seen.industry_code, seen.kind) != (cat.industry_code, cat.kind):
                problems.append(
                    f"category {cat.name} is {seen.industry_code}/{seen.kind} in one district "
                    f"and {cat.industry_code}/{cat.kind} in another"
                )
    used = {i.qualification for d in DISTRICTS for i in d.check_items if i.qualification}
    problems += [f"duplicate qualification {q}" for q in _duplicates(list(QUALIFICATIONS))]
    problems += [
        f"qualification {q} is used by no check item" for q in QUALIFICATIONS if q not in used
    ]
    return problems


if __name__ == "__main__":
    found = validate()
    for problem in found:
        print(problem)
    raise SystemExit(1 if found else 0)
