from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shuangsuiji.accounts.scoped_admin import ScopedAdmin
from shuangsuiji.draws.models import Draw


@admin.register(Draw)
class DrawAdmin(ScopedAdmin):
    """Read-only: draws are made through the ceremony pages, and a drawn one never changes."""

    list_display = ["draw_id", "task", "state", "created_at", "drawn_at"]
    list_filter = ["state"]
    list_select_related = ["task"]
    search_fields = ["draw_id", "task__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
