"""Suggestions for a task's population from its 抽查对象范围 text.

Two sources, in this order: earlier tasks with the same scope text whose categories someone
already chose (the demo's seed plans and every plan scoped since, so a district's second year
starts from its first), and the directory's category names read against the text. Industry
codes come from the suggested categories; a minimum registered capital from the text. Nothing
is applied until the coordinator chooses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from shuangsuiji.directory.models import ScopeCategory
from shuangsuiji.plans.models import PlanTask

# Words that say where or how many, not what: 本辖区内的旅馆业 is about 旅馆.
PLACE_WORDS = re.compile(r"^(本辖区内?|辖区内?|全区范围内|全区|城区范围内|全市|各类|所有|全部)+的?")
PIECE_SEPARATORS = re.compile(r"[、，,；;/（）()]|及|和|与|以及")
# Endings that say "a body of this kind"; 机动车排放检验机构 and 机动车排放检验单位 are one thing.
KIND_ENDINGS = re.compile(
    r"(从业单位|经营单位|经营主体|经营者|经营门店|门店|企业|单位|机构|公司|主体|业|户|者)$"
)
CAPITAL = re.compile(r"注册资本\s*(\d+(?:\.\d+)?)\s*(亿|万)元?\s*(?:及)?以上")
MIN_CORE = 2  # one character (业, 户) matches everything


@dataclass
class ScopeSuggestions:
    categories: list[ScopeCategory] = field(default_factory=list)
    reasons: dict[int, str] = field(default_factory=dict)  # category pk → why suggested
    industry_prefixes: list[str] = field(default_factory=list)
    min_capital: Decimal | None = None

    def __bool__(self) -> bool:
        return bool(self.categories or self.min_capital is not None)


def suggest_scope(task: PlanTask) -> ScopeSuggestions:
    """Categories, industry codes and a minimum capital the task's scope text points to."""
    text = task.scope.strip()
    suggestions = ScopeSuggestions(min_capital=minimum_capital(text))
    if not text:
        return suggestions
    earlier = (
        PlanTask.objects.filter(scope=text, plan__region=task.plan.region_id)
        .exclude(pk=task.pk)
        .filter(scope_categories__isnull=False)
        .select_related("plan")
        .order_by("-plan__year", "position")
        .first()
    )
    if earlier is not None:
        for category in earlier.scope_categories.order_by("name"):
            _add(suggestions, category, f"{earlier.plan.year}年同一范围的任务（第{earlier.seq}项）")
    for category in ScopeCategory.objects.order_by("name"):
        if category.pk not in suggestions.reasons and names_match(text, category.name):
            _add(suggestions, category, "类别名称与范围文字相符")
    return suggestions


def _add(suggestions: ScopeSuggestions, category: ScopeCategory, reason: str) -> None:
    suggestions.categories.append(category)
    suggestions.reasons[category.pk] = reason
    if category.industry_code and category.industry_code not in suggestions.industry_prefixes:
        suggestions.industry_prefixes.append(category.industry_code)


def names_match(scope_text: str, category: str) -> bool:
    """Whether a category name and a piece of the scope text name the same kind of body:
    the whole name in the text (旅馆 in 本辖区内的旅馆业), the name without its generic ending
    in the text (机动车排放检验 in 机动车排放检验单位), or a piece of the text without its place
    words and ending inside the name (学校 of 各类学校 in 中小学校); a bare generic piece
    (各类企业) matches only a category of exactly that name (企业)."""
    core = KIND_ENDINGS.sub("", category)
    if len(core) >= MIN_CORE and (category in scope_text or core in scope_text):
        return True
    for piece in PIECE_SEPARATORS.split(scope_text):
        plain = PLACE_WORDS.sub("", piece.strip())
        if plain == category:
            return True
        piece_core = KIND_ENDINGS.sub("", plain)
        if len(piece_core) >= MIN_CORE and piece_core in category:
            return True
    return False


def minimum_capital(scope_text: str) -> Decimal | None:
    """注册资本3000万元以上 → 3000 (in 万元, as the directory stores it); 1亿元以上 → 10000."""
    match = CAPITAL.search(scope_text)
    if match is None:
        return None
    amount = Decimal(match[1])
    return amount * 10000 if match[2] == "亿" else amount
