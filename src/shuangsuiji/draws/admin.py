from django.contrib import admin

from shuangsuiji.accounts.scoped_admin import ReadOnlyScopedAdmin
from shuangsuiji.draws.models import Draw


@admin.register(Draw)
class DrawAdmin(ReadOnlyScopedAdmin):
    """Draws are made through the ceremony pages, and a drawn one never changes."""

    list_display = ["draw_id", "task", "state", "created_at", "drawn_at"]
    list_filter = ["state"]
    list_select_related = ["task"]
    search_fields = ["draw_id", "task__name"]
