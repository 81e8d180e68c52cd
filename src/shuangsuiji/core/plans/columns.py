"""Column names of plan tables, with the synonyms localities use, mapped to one key each."""

import re

# Order matters: the first pattern that matches the whole (normalised) header wins.
COLUMN_PATTERNS: tuple[tuple[str, str], ...] = (
    ("seq", r"序号|编号|(抽查)?任务编号"),
    ("plan_no", r"(抽查)?计划编号"),
    ("domain", r"抽查(领域|类别)|检查领域|监管领域|领域|行业|行业领域"),
    ("name", r"(抽查|检查)?任务(名称)?|抽查任务名称|任务名|抽查项目"),
    # 计划名称 names the task where the table has no task-name column (parse.py).
    ("plan_name", r"(本部门|本单位)?(年度)?(抽查)?计划名称"),
    ("items", r"(抽查|检查)(事项|内容)(清单)?|事项|具体(检查|抽查)?内容"),
    ("scope", r"(抽查|检查|联查|抽取)?对象(范围|类型)?|抽查范围"),
    ("ratio_count", r"抽查比例数量|抽查比例及数量|抽查比例[（(]?数量[）)]?"),
    ("population", r"预估抽查对象数|(抽查|检查)?对象(总)?(数|基数)|基数|抽查基数(户)?(和比例)?"),
    (
        "sample_count",
        r"抽查户数|抽查数量|抽取户数|抽取数量|抽取对象数(户|家)?|(大约|预计)?抽取的?检查对象数量"
        r"|(抽查|抽取)对象数量",
    ),
    ("frequency", r"(抽查|检查)?(频次|频率|周期)(上限|下限)?"),
    ("ratio", r"(抽查|检查|抽取)?(对象)?(比例|频次|频率)((及|和|与|、)?(频次|比例|频率))?"),
    ("risk", r".*信用风险.*|智慧监管.*|风险分类.*|.*风险等级.*"),
    ("draw_date", r"抽取(日期|时间)"),
    ("deadline", r".*完成时限|完成时间"),
    (
        "window",
        r"(初步|预计)?(抽查)?(检查)?(起止|实施|计划|开展)?(开展)?(时间段?|日期|时段)|起止时间|时间安排"
        r"|计划(任务)?(实施|开展)(时间|时段)|(任务|抽查|检查)?(开始|结束|起始)(时间|日期)|任务(时间|日期)"
        r"|(抽取|抽查|检查)(时间|日期)(自|至|起|止)",
    ),
    # 抽查层级 (市县(区)级) is the check's own level, its mode; 实施层级 (县) is the mode only
    # where it says who draws and who checks (区级发起，区级检查), parse.py.
    ("mode", r"(抽查|检查)层级"),
    ("level", r"(实施|组织|抽查|检查)层级.*|层级|组织层级/?实施层级"),
    # 发起方式（牵头指导单位）names the department that starts the check.
    (
        "lead",
        r"(发起方式)?牵头指导单位|(抽查|检查)部门|(发起|牵头|实施)(部门|单位|处室|股室|科室)|(发起|牵头)主体(指导单位)?",
    ),
    # 检查主体 is the lead where nothing else names one; beside 联查部门 it lists the bodies.
    ("body", r"(检查|实施|抽查)主体(层级)?|(抽查|检查)单位"),
    ("joint", r"联查(部门|单位)"),
    (
        "partners",
        r"(配合|参与|联合|协同)(部门|单位|处室|股室|科室)|联合检查(部门|单位)|参与联合(抽查)?(部门|单位)",
    ),
    (
        "office",
        r"分配任务的处?科?室|承办(处室|科室|单位)|(责任|执行)?股室|(责任|执行)?科室|承办处室[（(]?单位[）)]?",
    ),
    ("duties", r"责任分工|职责分工"),
    ("mode", r"(抽查)?(检查)?模式|抽查检查方式"),
    ("sampling_type", r"抽查类型|抽取类型|抽查方式|事项类别|任务类型|检查类型(日常专项)?"),
    # Which kind of plan a row belongs to (部门抽查计划 or 部门联合抽查计划), merged down.
    ("plan_kind", r"(本?部门|部门联合|联合|跨部门(联合)?)(双随机)?抽查计划|计划(类型|类别|性质)"),
    # A locality's own column beside the province's figure (无为计划): its ratio wins.
    ("local_ratio", r"(?!工作|抽查|年度|检查|实施|任务|监管)[\u4e00-\u9fff]{2,4}计划"),
    ("note", r"备注|说明"),
)
COLUMN_LABELS: dict[str, str] = {
    "seq": "序号",
    "plan_no": "抽查计划编号",
    "domain": "抽查领域",
    "plan_name": "计划名称",
    "population": "抽查对象基数",
    "frequency": "抽查频次",
    "level": "实施层级",
    "joint": "联查部门",
    "body": "检查主体",
    "office": "承办处室",
    "duties": "责任分工",
    "local_ratio": "本地计划",
    "plan_kind": "计划类别",
    "name": "抽查任务名称",
    "items": "抽查事项",
    "scope": "抽查对象范围",
    "ratio_count": "抽查比例（数量）",
    "sample_count": "抽查户数",
    "ratio": "抽查比例及频次",
    "risk": "智慧监管（信用风险分类）要求",
    "draw_date": "抽取日期",
    "deadline": "抽查完成时限",
    "window": "抽查检查起止时间",
    "lead": "发起部门",
    "partners": "配合部门",
    "mode": "抽查检查模式",
    "sampling_type": "抽查类型",
    "note": "备注",
}

_COMPILED = tuple((key, re.compile(pattern)) for key, pattern in COLUMN_PATTERNS)
_NOISE = re.compile(r"[\s（）()【】\[\]：:*＊/／]")  # 比例/数量 is 比例数量
MIN_HEADER_COLUMNS = 3
CORE_COLUMNS = frozenset({"name", "items", "scope"})


def normalise_header(text: str) -> str:
    return _NOISE.sub("", text)


def column_key(text: str) -> str | None:
    """The key a header cell stands for, or None if it is not a known column name."""
    header = normalise_header(text)
    if not header or len(header) > 20:
        return None
    for key, pattern in _COMPILED:
        if pattern.fullmatch(header):
            return key
    return None


def header_keys(cells: list[str]) -> list[str | None] | None:
    """Column keys of a row if it is a header row (≥3 known, distinct columns, one core)."""
    keys = [column_key(cell) for cell in cells]
    named_by_matter(cells, keys)
    known = [key for key in keys if key]
    if len(set(known)) < MIN_HEADER_COLUMNS or not CORE_COLUMNS & set(known):
        return None
    return keys


def named_by_matter(cells: list[str], keys: list[str | None]) -> None:
    """Beside a 抽查内容/具体内容 column and no task-name column, the 抽查事项 column names the
    task and the 内容 column lists its items (抽查事项 注册建造师监管, 抽查内容 注册证书…)."""
    if "name" in keys or "domain" in keys or "plan_name" in keys:
        return
    items = [index for index, key in enumerate(keys) if key == "items"]
    matters = [i for i in items if normalise_header(cells[i]).endswith("事项")]
    contents = [i for i in items if normalise_header(cells[i]).endswith("内容")]
    if len(matters) == 1 and contents:
        keys[matters[0]] = "name"
