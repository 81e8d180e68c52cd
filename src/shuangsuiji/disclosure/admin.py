from django.contrib import admin

from shuangsuiji.accounts.scoped_admin import ScopedAdmin
from shuangsuiji.disclosure.models import WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(ScopedAdmin):
    """For a year chinesecalendar does not cover yet: the State Council's schedule, by hand."""

    list_display = ["day", "is_working_day", "note"]
