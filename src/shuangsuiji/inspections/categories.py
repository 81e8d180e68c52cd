"""The result categories of the enterprise credit publicity system (国家企业信用信息公示系统),
as seed data: loaded into `ResultCategory` by a migration and edited there, never in code.

(code, name, parent code, is a finding, needs follow-up, stands alone)
"""

from typing import Any

RESULT_CATEGORIES: list[tuple[str, str, str, bool, bool, bool]] = [
    ("01", "未发现问题", "", False, False, True),
    ("02", "发现问题待后续处理", "", True, True, False),
    ("0201", "未按规定公示应当公示的信息", "02", True, True, False),
    ("0202", "公示信息隐瞒真实情况弄虚作假", "02", True, True, False),
    ("0203", "通过登记的住所（经营场所）无法联系", "02", True, True, False),
    ("0204", "违反其他部门相关规定", "02", True, True, False),
    ("03", "发现问题经责令已改正", "", True, False, False),
    ("04", "未发现开展本次抽查涉及的经营活动", "", False, False, True),
    ("05", "已关闭停业或正在组织清算", "", False, False, True),
    ("06", "不配合检查情节严重", "", True, True, True),
    ("07", "已注销", "", False, False, True),
    ("08", "被吊销", "", False, False, True),
    ("09", "被撤销", "", False, False, True),
    ("10", "迁出", "", False, False, True),
]


def load_categories(model: Any) -> None:
    """Create the categories missing from `model`'s table (a migration's historical model or
    the real one); existing rows, perhaps edited by the coordinator, are left as they are."""
    made = {c.code: c for c in model.objects.all()}
    for code, name, parent, finding, follow_up, alone in RESULT_CATEGORIES:
        if code not in made:
            made[code] = model.objects.create(
                code=code,
                name=name,
                parent=made.get(parent),
                is_finding=finding,
                needs_follow_up=follow_up,
                stands_alone=alone,
            )
