"""Reusable querysets; `.visible_to(user, action)` delegates to accounts.permissions."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q

from shuangsuiji.accounts.permissions import Action, restrict
from shuangsuiji.directory.enums import EntityStatus

USCC_TEXT = re.compile(r"[0-9A-Z]{1,18}")
USCC_LENGTH = 18

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
        """By what the text looks like, so each kind of query uses its own index:

        - letters and digits with at least one digit: 统一社会信用代码, exact at 18 characters,
          else a prefix (the unique index; PostgreSQL also has Django's pattern-ops index);
        - Latin letters only: pinyin initials, anywhere in the initials of any reading (names
          start with the district, 潞城区…, so "tjwj" must find 潞城区太极五金 and a prefix such
          as "lcqtj" works too; a trigram index serves both on PostgreSQL);
        - anything else: a fragment of the name (a trigram index on PostgreSQL).
        """
        query = text.strip()
        if not query:
            return self
        code = query.upper()
        if USCC_TEXT.fullmatch(code) and any(c.isdigit() for c in code):
            return (
                self.filter(uscc=code)
                if len(code) == USCC_LENGTH
                else self.filter(uscc__startswith=code)
            )
        if query.isascii() and query.isalpha():
            return self.filter(name_initials__contains=query.lower())
        return self.filter(name__contains=query)

    def in_industry(self, prefix: str) -> Self:
        """GB/T 4754 codes are hierarchical (F → F52 → F529 → F5299): a prefix is a subtree."""
        code = prefix.strip().upper()
        return self.filter(industry_code__startswith=code) if code else self


class InspectorQuerySet(ScopedQuerySet):
    def search(self, text: str) -> Self:
        """By 执法证号 prefix (digits), pinyin initials (Latin letters) or a name fragment."""
        query = text.strip()
        if not query:
            return self
        if any(c.isdigit() for c in query):
            return self.filter(certificate_no__startswith=query.upper())
        if query.isascii() and query.isalpha():
            return self.filter(name_initials__contains=query.lower())
        return self.filter(name__contains=query)

    def certified_on(self, day: Any) -> Self:
        return self.filter(
            is_active=True, certificate_valid_from__lte=day, certificate_valid_until__gte=day
        )


class CheckItemQuerySet(ScopedQuerySet):
    pass
