"""The back office for the 两库一单, in Chinese, scoped per role."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from shuangsuiji.accounts.scoped_admin import ScopedAdmin, ScopedInline, SuperuserOnlyWritesAdmin
from shuangsuiji.directory.models import (
    CheckItem,
    Conflict,
    Department,
    DepartmentAlias,
    Entity,
    Inspector,
    Qualification,
    Region,
    ScopeCategory,
)

# Filter choices drawn from the rows the user may see, so other regions' names do not show.
ONLY_USED = admin.RelatedOnlyFieldListFilter

admin.site.site_header = "双随机抽查平台 · 管理后台"
admin.site.site_title = "双随机抽查平台"
admin.site.index_title = "两库一单与系统管理"


class InitialsSearchMixin:
    """Admin search that also matches pinyin initials (users type "lcqscjgj")."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        queryset, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        term = search_term.strip().lower()
        if term.isascii() and term.isalpha():
            base = self.get_queryset(request)  # type: ignore[attr-defined]
            queryset |= base.filter(name_initials__contains=term)
        return queryset, may_have_duplicates


@admin.register(Region)
class RegionAdmin(SuperuserOnlyWritesAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


class DepartmentAliasInline(ScopedInline):
    model = DepartmentAlias
    fields = ["name"]
    extra = 1


@admin.register(Department)
class DepartmentAdmin(InitialsSearchMixin, ScopedAdmin):
    list_display = ["short_name", "name", "region", "is_coordinator"]
    list_filter = [("region", ONLY_USED), "is_coordinator"]
    search_fields = ["name", "short_name", "aliases__name"]
    inlines = [DepartmentAliasInline]


@admin.register(ScopeCategory)
class ScopeCategoryAdmin(SuperuserOnlyWritesAdmin):
    list_display = ["name", "industry_code"]
    search_fields = ["name", "industry_code"]


@admin.register(Entity)
class EntityAdmin(InitialsSearchMixin, ScopedAdmin):
    list_display = ["uscc", "name", "region", "legal_form", "status", "risk_class"]
    list_filter = [("region", ONLY_USED), "status", "risk_class", "legal_form", "categories"]
    list_select_related = ["region__parent"]
    search_fields = ["=uscc", "name"]
    show_full_result_count = False
    filter_horizontal = ["categories"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["uscc", "name", "legal_form", "legal_representative", "address"]}),
        (
            "登记信息",
            {
                "fields": [
                    "region",
                    "industry_code",
                    "registered_capital",
                    "established_on",
                    "status",
                    "categories",
                ]
            },
        ),
        ("信用风险分类", {"fields": ["risk_class", "risk_classified_on", "risk_source"]}),
        (None, {"fields": ["updated_at"]}),
    ]


@admin.register(Qualification)
class QualificationAdmin(SuperuserOnlyWritesAdmin):
    search_fields = ["name"]


class ConflictInline(ScopedInline):
    model = Conflict
    autocomplete_fields = ["entity"]
    extra = 0


@admin.register(Inspector)
class InspectorAdmin(InitialsSearchMixin, ScopedAdmin):
    list_display = ["name", "certificate_no", "department", "certificate_valid_until", "is_active"]
    list_filter = [("department", ONLY_USED), "is_active", "qualifications"]
    list_select_related = ["department"]
    search_fields = ["name", "certificate_no"]
    filter_horizontal = ["qualifications"]
    inlines = [ConflictInline]


@admin.register(Conflict)
class ConflictAdmin(ScopedAdmin):
    list_display = ["inspector", "entity", "reason", "declared_on"]
    list_select_related = ["inspector", "entity"]
    autocomplete_fields = ["entity"]
    search_fields = ["inspector__name", "entity__name", "entity__uscc"]


@admin.register(CheckItem)
class CheckItemAdmin(ScopedAdmin):
    list_display = ["name", "department", "method", "object_type", "required_qualification"]
    list_filter = [("department", ONLY_USED), "method"]
    list_select_related = ["department", "required_qualification"]
    search_fields = ["name", "legal_basis", "object_type"]
