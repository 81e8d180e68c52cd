from django.contrib import admin

from shuangsuiji.accounts.scoped_admin import ReadOnlyScopedAdmin
from shuangsuiji.operations.models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyScopedAdmin):
    """Background steps (draw freezes and completions, entity file checks and writes), so an
    operator finds a failed one and its reason without the database shell; their pages show
    the same to the people taking part."""

    list_display = [
        "kind",
        "task",
        "entity_import",
        "state",
        "progress",
        "stage",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "state"]
    list_select_related = ["task", "entity_import", "created_by"]
    search_fields = ["task__name", "entity_import__filename", "message"]
    readonly_fields = ["message"]
