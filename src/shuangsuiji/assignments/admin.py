from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shuangsuiji.accounts.scoped_admin import ScopedAdmin
from shuangsuiji.assignments.models import Assignment, Recusal


class ReadOnlyAdmin(ScopedAdmin):
    """Assignments and recusals are made through their pages, by the rule; never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["assignment_id", "plan", "state", "created_at", "assigned_at"]
    list_filter = ["state"]
    list_select_related = ["plan"]
    search_fields = ["assignment_id", "plan__title"]


@admin.register(Recusal)
class RecusalAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "number", "visit", "inspector", "replacement", "reason"]
    list_select_related = ["assignment", "visit", "inspector", "replacement"]
