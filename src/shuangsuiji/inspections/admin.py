from django.contrib import admin

from shuangsuiji.accounts.scoped_admin import ReadOnlyScopedAdmin, ScopedAdmin
from shuangsuiji.inspections.models import Inspection, ResultCategory


@admin.register(ResultCategory)
class ResultCategoryAdmin(ScopedAdmin):
    """The coded results are data: the coordinator keeps them in step with the publicity system."""

    list_display = ["code", "name", "parent", "is_finding", "needs_follow_up", "stands_alone"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyScopedAdmin):
    """Results are recorded and reviewed on their pages, where each step checks its actor."""

    list_display = ["visit", "task", "state", "inspected_on", "follow_up"]
    list_filter = ["state", "follow_up"]
    list_select_related = ["visit", "task"]
