"""A ModelAdmin whose every read, choice and write goes through accounts.permissions.

The admin is the one place where a user submits raw ids for any field of any record, so it
is held three ways, each enough on its own for the case it covers:
- rows: lists and objects come from `restrict`, so a record outside the scope answers 404;
- choices: every foreign-key and many-to-many field offers only records the user may see
  (`scoped_choices`), and Django validates a submitted id against those choices, so a forged
  POST naming another district's region, department, plan or entity is refused as invalid;
- the result: after a save, inside the admin's transaction, the record must still be one the
  user may change (`ensure_still_in_scope`); otherwise the whole save is rolled back. This
  catches what choices cannot, such as a department admin moving its task to a plan or lead
  department that is not its own.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, ManyToManyField, Model, QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import Http404, HttpRequest

from shuangsuiji.accounts.permissions import (
    Action,
    assignable_departments,
    regions_in_jurisdiction,
    restrict,
)

# Fields naming the record's owner: a user may file a record only under a department it may
# write for (its own, for a department admin; a lead department hands the task over), while
# references elsewhere (a task's partner departments) may name any department the user sees.
OWNER_FIELDS = frozenset({"department", "lead_department"})


def scoped_choices(field: ForeignKey[Any, Any] | ManyToManyField[Any, Any], user: Any) -> Any:
    """The records a user may pick for `field`: within its region, and for an owner field
    only those it may write for."""
    related: type[Model] = field.related_model  # type: ignore[assignment]
    everything = related._default_manager.all()
    label = related._meta.label
    if label == "directory.Region":
        return regions_in_jurisdiction(everything, user)
    if label == "directory.Department":
        if field.name in OWNER_FIELDS:
            return assignable_departments(everything, user)
        return restrict(everything, user, "view")
    if label == "plans.Plan":
        return restrict(everything, user, "change")
    if any(hasattr(related, name) for name in ("REGION_LOOKUP", "DEPARTMENT_LOOKUP")):
        return restrict(everything, user, "view")
    return everything  # shared reference data: categories, qualifications


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices within the user's scope (admins and inlines)."""

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:  # type: ignore[type-arg]
        kwargs["queryset"] = scoped_choices(db_field, request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc,no-any-return]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:  # type: ignore[type-arg]
        kwargs["queryset"] = scoped_choices(db_field, request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc,no-any-return]


def ensure_still_in_scope(model: type[Model], pk: Any, user: Any) -> None:
    """Refuse (and so roll back) a save whose result the user could not have changed."""
    if not restrict(model._default_manager.all(), user, "change").filter(pk=pk).exists():
        raise PermissionDenied("保存后的记录超出您的管理范围，未保存")


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):  # type: ignore[type-arg]
    """An inline whose choices are scoped like its parent admin's."""


class ScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows outside the user's scope do not exist for it: lists omit them, URLs give 404."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return restrict(super().get_queryset(request), request.user, "view")

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("记录不存在或无权访问")
        return obj

    def _allowed(self, request: HttpRequest, obj: Model | None, action: Action) -> bool:
        if obj is None:
            return True
        scoped = restrict(self.model._default_manager.all(), request.user, action)
        return scoped.filter(pk=obj.pk).exists()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._allowed(request, obj, "change")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._allowed(request, obj, "delete")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """The bulk delete action removes only rows the user may delete, not all it may see."""
        super().delete_queryset(request, restrict(queryset, request.user, "delete"))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Runs last in the admin's transaction, after the record and its inlines are saved."""
        super().save_related(request, form, formsets, change)
        ensure_still_in_scope(self.model, form.instance.pk, request.user)


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Records made by a rule through their own pages (draws, assignments, recusals): the
    back office shows them and never edits them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SuperuserOnlyWritesAdmin(ScopedAdmin):
    """Shared reference data (regions, scope and result categories, qualifications): every
    district reads it, and a change would rewrite other districts' records and published
    results, so only the installation's superuser changes it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
