from django.contrib import admin

from shuangsuiji.accounts.scoped_admin import ReadOnlyScopedAdmin
from shuangsuiji.assignments.models import Assignment, Recusal


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyScopedAdmin):
    list_display = ["assignment_id", "plan", "state", "created_at", "assigned_at"]
    list_filter = ["state"]
    list_select_related = ["plan"]
    search_fields = ["assignment_id", "plan__title"]


@admin.register(Recusal)
class RecusalAdmin(ReadOnlyScopedAdmin):
    list_display = ["assignment", "number", "visit", "inspector", "replacement", "reason"]
    list_select_related = ["assignment", "visit", "inspector", "replacement"]
