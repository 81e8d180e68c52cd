"""Reusable querysets; `.visible_to(user, action)` delegates to accounts.permissions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

from shuangsuiji.accounts.permissions import Action, restrict
from shuangsuiji.directory.enums import EntityStatus

if TYPE_CHECKING:
    from shuangsuiji.accounts.models import User


class ScopedQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User, action: Action = "view") -> Self:
        return restrict(self, user, action)


class DepartmentQuerySet(ScopedQuerySet):
    def resolve(self, region_id: int, name: str) -> Any:
        """The department a plan means by `name` in a region: short name, full name or alias."""
        text = name.strip()
        matches = Q(short_name=text) | Q(name=text) | Q(aliases__name=text)
        return self.filter(matches, region_id=region_id).distinct().get()


class EntityQuerySet(ScopedQuerySet):
    def active(self) -> Self:
        """Entities that can be inspected: 存续 or 在业 (not 迁出, 注销, 吊销)."""
        return self.filter(status__in=EntityStatus.active())

    def search(self, text: str) -> Self:
        """By name fragment, 统一社会信用代码 prefix, or pinyin initials."""
        query = text.strip()
        if not query:
            return self
        condition = Q(name__contains=query) | Q(uscc__startswith=query.upper())
        if query.isascii() and query.isalpha():
            condition |= Q(name_initials__contains=query.lower())
        return self.filter(condition)


class InspectorQuerySet(ScopedQuerySet):
    def certified_on(self, day: Any) -> Self:
        return self.filter(
            is_active=True, certificate_valid_from__lte=day, certificate_valid_until__gte=day
        )


class CheckItemQuerySet(ScopedQuerySet):
    pass
