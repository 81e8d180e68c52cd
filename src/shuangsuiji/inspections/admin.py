from django.contrib import admin

from shuangsuiji.accounts.scoped_admin import ReadOnlyScopedAdmin, SuperuserOnlyWritesAdmin
from shuangsuiji.inspections.models import Inspection, ResultCategory


@admin.register(ResultCategory)
class ResultCategoryAdmin(SuperuserOnlyWritesAdmin):
    """The coded results are data, kept in step with the publicity system by the superuser:
    every district's published results name them."""

    list_display = ["code", "name", "parent", "is_finding", "needs_follow_up", "stands_alone"]


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyScopedAdmin):
    """Results are recorded and reviewed on their pages, where each step checks its actor."""

    list_display = ["visit", "task", "state", "inspected_on", "follow_up"]
    list_filter = ["state", "follow_up"]
    list_select_related = ["visit", "task"]
