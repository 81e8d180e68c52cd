from django.contrib import admin

from shuangsuiji.accounts.scoped_admin import ReadOnlyScopedAdmin
from shuangsuiji.draws.models import Draw, DrawJob


@admin.register(Draw)
class DrawAdmin(ReadOnlyScopedAdmin):
    """Draws are made through the ceremony pages, and a drawn one never changes."""

    list_display = ["draw_id", "task", "state", "created_at", "drawn_at"]
    list_filter = ["state"]
    list_select_related = ["task"]
    search_fields = ["draw_id", "task__name"]


@admin.register(DrawJob)
class DrawJobAdmin(ReadOnlyScopedAdmin):
    """Background draw steps, so an operator finds a failed one and its reason without the
    database shell; the draw pages show the same to the people taking part."""

    list_display = ["task", "step", "state", "progress", "stage", "created_by", "created_at"]
    list_filter = ["step", "state"]
    list_select_related = ["task", "created_by"]
    search_fields = ["task__name", "message"]
    readonly_fields = ["message"]
