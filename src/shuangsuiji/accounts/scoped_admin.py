"""A ModelAdmin whose every read and write goes through accounts.permissions.restrict."""

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, Model, QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest

from shuangsuiji.accounts.permissions import Action, assignable_departments, restrict


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
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

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:  # type: ignore[type-arg]
        """Offer only the departments and department-owned records the user may write to."""
        related = db_field.related_model
        manager = related._default_manager  # type: ignore[union-attr]
        if related._meta.label == "directory.Department":  # type: ignore[union-attr]
            kwargs["queryset"] = assignable_departments(manager.all(), request.user)
        elif hasattr(related, "DEPARTMENT_LOOKUP"):
            kwargs["queryset"] = restrict(manager.all(), request.user, "change")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Records made by a rule through their own pages (draws, assignments, recusals): the
    back office shows them and never edits them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
