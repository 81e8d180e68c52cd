from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shuangsuiji.accounts.scoped_admin import ScopedAdmin
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.services import LOCKED_AFTER_DRAW, POPULATION_FIELDS


class PlanTaskInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PlanTask
    fields = [
        "seq",
        "name",
        "scope",
        "ratio_min",
        "frequency_per_year",
        "window_start",
        "window_end",
        "lead_department",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    list_display = ["title", "year", "region", "imported_at"]
    list_filter = ["year"]
    list_select_related = ["region__parent"]
    search_fields = ["title"]
    readonly_fields = ["columns", "findings", "source_filename", "imported_at", "imported_by"]
    inlines = [PlanTaskInline]


@admin.register(PlanTask)
class PlanTaskAdmin(ScopedAdmin):
    list_display = ["__str__", "plan", "lead_department", "window_start", "window_end"]
    list_filter = ["plan__year", "risk_kind"]
    list_select_related = ["plan", "lead_department"]
    search_fields = ["name", "scope", "lead_department_text"]
    filter_horizontal = ["partner_departments", "scope_categories", "scope_regions"]
    readonly_fields = ["source", "findings", "population_counts", "population_counted_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Once the task has a draw, what the draw was frozen from is read-only here too: the
        task's pages are where a coordinator corrects it, through a redraw."""
        fields = [*super().get_readonly_fields(request, obj)]
        if obj is not None:
            fields.append("plan")  # a task belongs to the plan it was imported with
        if obj is not None and obj.draws.exists():
            fields += [*LOCKED_AFTER_DRAW, *POPULATION_FIELDS]
        return fields
