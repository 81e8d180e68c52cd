from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from shuangsuiji.accounts.permissions import restrict
from shuangsuiji.accounts.scoped_admin import ScopedAdmin, ensure_still_in_scope
from shuangsuiji.plans.models import Plan, PlanTask
from shuangsuiji.plans.publication import delete_draft
from shuangsuiji.plans.services import LOCKED_AFTER_DRAW, POPULATION_FIELDS, update_task


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
    readonly_fields = [
        "columns",
        "findings",
        "source_filename",
        "imported_at",
        "imported_by",
        # published, withdrawn and deleted through `plans.publication`, on the plan's page
        "published_at",
        "published_by",
        "withdrawn_at",
        "withdrawn_reason",
    ]
    inlines = [PlanTaskInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Only a draft is ever deleted; a published plan is withdrawn with a reason."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.is_draft)

    def delete_model(self, request: HttpRequest, obj: Plan) -> None:
        delete_draft(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Plan]) -> None:
        for plan in restrict(queryset, request.user, "delete"):
            delete_draft(plan, actor=request.user)


@admin.register(PlanTask)
class PlanTaskAdmin(ScopedAdmin):
    list_display = ["__str__", "plan", "lead_department", "window_start", "window_end"]
    list_filter = ["plan__year", "risk_kind"]
    list_select_related = ["plan", "lead_department"]
    search_fields = ["name", "scope", "lead_department_text"]
    filter_horizontal = ["partner_departments"]
    # The population filter is set on the task's own page (`plans:task_population`), where its
    # counts are shown and a drawn task's change becomes a recorded redraw.
    readonly_fields = [
        "source",
        "findings",
        "population_counts",
        "population_counted_at",
        *POPULATION_FIELDS,
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Once the task has a draw, what the draw was frozen from is read-only here too: the
        task's pages are where a coordinator corrects it, through a redraw."""
        fields = [*super().get_readonly_fields(request, obj)]
        if obj is not None:
            fields.append("plan")  # a task belongs to the plan it was imported with
        if obj is not None and obj.draws.exists():
            fields += [*LOCKED_AFTER_DRAW]
        return fields

    def save_model(self, request: HttpRequest, obj: PlanTask, form: Any, change: bool) -> None:
        """A change goes through the service the task page uses: its rule (the coordinator,
        or the lead department, which may not hand the task away), its locks after a draw,
        and the audit entry of a changed partner list."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        update_task(obj, actor=request.user, changes=changes)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if not change:
            super().save_related(request, form, formsets, change)
            return
        ensure_still_in_scope(PlanTask, form.instance.pk, request.user)  # partners: update_task
