"""Who may see and change what: the one place where roles turn into querysets.

Two layers, both decided here:
- model permissions per role (which kinds of record a role may view/add/change/delete), granted
  through the role's Django group by `accounts.roles.sync_role_groups`;
- row scope (which records): `restrict(queryset, user, action)`. A model tied to a place declares
  `REGION_LOOKUP` (users see only their department's region and the regions under it, so one
  installation can serve a city and its counties); a model owned by a department declares
  `DEPARTMENT_LOOKUP`; a model an inspector owns declares `INSPECTOR_LOOKUP`. Views, admin, API
  and exports all filter through `restrict`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.db.models import Q as DbQ

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from shuangsuiji.accounts.models import User

Action = Literal["view", "add", "change", "delete"]
Q = TypeVar("Q", bound=QuerySet[Any])


class Role(StrEnum):
    """The four roles; the value is the Django group name users see."""

    COORDINATOR = "协调员"
    DEPARTMENT_ADMIN = "部门管理员"
    INSPECTOR = "执法人员"
    AUDITOR = "审计员"


ALL_ACTIONS: tuple[Action, ...] = ("view", "add", "change", "delete")
SHARED_DIRECTORY = (
    "region",
    "department",
    "departmentalias",
    "scopecategory",
    "entity",
    "qualification",
)
# Reference data every district shares: renaming a result category rewrote another district's
# published results, and re-parenting a region moved a district into another's jurisdiction,
# so only the installation's superuser (who holds every permission) changes these.
SHARED_REFERENCE = ("region", "scopecategory", "qualification")
DEPARTMENT_OWNED = ("inspector", "conflict", "checkitem")
ASSIGNMENT_ROWS = ("visit", "teammember")
INSPECTION_ROWS = ("inspection", "attachment")
LEDGER_ROWS = ("checkcap", "othercheck")  # the check ledger's own rows, by department

# (app_label, model) -> actions, per role. Row scope is applied on top by `restrict`.
MODEL_PERMISSIONS: dict[Role, dict[tuple[str, str], tuple[Action, ...]]] = {
    Role.COORDINATOR: {
        **{("directory", m): ALL_ACTIONS for m in SHARED_DIRECTORY + DEPARTMENT_OWNED},
        **{("directory", m): ("view",) for m in SHARED_REFERENCE},
        ("plans", "plan"): ALL_ACTIONS,
        ("plans", "plantask"): ALL_ACTIONS,
        ("draws", "draw"): ("view", "add", "change"),
        ("operations", "job"): ("view",),
        ("assignments", "assignment"): ("view", "add", "change"),
        **{("assignments", m): ("view",) for m in ASSIGNMENT_ROWS},
        ("assignments", "recusal"): ("view", "add"),
        **{("inspections", m): ("view", "add", "change") for m in INSPECTION_ROWS},
        ("inspections", "resultcategory"): ("view",),
        ("directory", "entityimport"): ("view", "add", "change"),
        ("analysis", "riskproposal"): ("view", "add", "change"),
        **{("checks", m): ("view", "add", "change") for m in LEDGER_ROWS},
        ("checks", "visitrating"): ("view",),  # in aggregate, by department
        ("axes", "accessattempt"): ("view", "delete"),  # unlock a locked-out username
        ("accounts", "user"): ALL_ACTIONS,
    },
    Role.DEPARTMENT_ADMIN: {
        **{("directory", m): ("view",) for m in SHARED_DIRECTORY},
        **{("directory", m): ALL_ACTIONS for m in DEPARTMENT_OWNED},
        ("plans", "plan"): ("view",),
        ("plans", "plantask"): ("view", "change"),
        ("draws", "draw"): ("view",),
        ("assignments", "assignment"): ("view",),
        **{("assignments", m): ("view",) for m in ASSIGNMENT_ROWS},
        ("assignments", "recusal"): ("view", "add"),
        **{("inspections", m): ("view", "add", "change") for m in INSPECTION_ROWS},
        ("inspections", "resultcategory"): ("view",),
        **{("checks", m): ("view", "add", "change") for m in LEDGER_ROWS},
    },
    Role.INSPECTOR: {
        ("directory", "inspector"): ("view",),
        ("directory", "checkitem"): ("view",),
        **{("assignments", m): ("view",) for m in ASSIGNMENT_ROWS},
        ("assignments", "recusal"): ("view", "add"),
        **{("inspections", m): ("view", "add", "change") for m in INSPECTION_ROWS},
        ("inspections", "resultcategory"): ("view",),
    },
    Role.AUDITOR: {
        **{("directory", m): ("view",) for m in SHARED_DIRECTORY + DEPARTMENT_OWNED},
        ("directory", "entityimport"): ("view",),
        ("analysis", "riskproposal"): ("view",),
        ("plans", "plan"): ("view",),
        ("plans", "plantask"): ("view",),
        ("draws", "draw"): ("view",),
        ("operations", "job"): ("view",),
        ("assignments", "assignment"): ("view",),
        **{("assignments", m): ("view",) for m in (*ASSIGNMENT_ROWS, "recusal")},
        **{("inspections", m): ("view",) for m in (*INSPECTION_ROWS, "resultcategory")},
        **{("checks", m): ("view",) for m in (*LEDGER_ROWS, "visitrating")},
        ("accounts", "user"): ("view",),
    },
}


class NotAllowed(PermissionDenied):
    """The one error a service raises when its rule refuses the acting user: a page answers
    403, the API its JSON 403 body, a command its message and a non-zero exit code."""


class _System:
    """The platform acting on its own behalf, outside any user's session: the demo builder
    and data set-up. A service is never called without an actor, so leaving the actor out is
    an error, not a silent bypass; passing SYSTEM is a visible decision."""

    is_authenticated = True
    is_active = True
    is_superuser = True
    pk = None
    department = None
    department_id = None
    inspector_id = None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return True

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Any = _System()


def require(allowed: bool, message: str) -> None:
    """Raise NotAllowed with `message` (Chinese, said to the user) unless `allowed`."""
    if not allowed:
        raise NotAllowed(message)


def within(user: Any, obj: Model, action: Action = "change") -> bool:
    """Whether `obj` is one of the rows `restrict` gives `user` for `action`."""
    if user is SYSTEM:
        return True
    rows = restrict(type(obj)._default_manager.all(), user, action)
    return bool(rows.filter(pk=obj.pk).exists())


# Roles whose members use the back office (Django admin).
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.DEPARTMENT_ADMIN, Role.AUDITOR})


def grantable_roles(user: User | AnonymousUser) -> tuple[Role, ...]:
    """The roles a user may give others: none above its own, and only a coordinator (or the
    superuser) manages users at all."""
    if user.is_superuser or role_of(user) is Role.COORDINATOR:
        return tuple(Role)
    return ()


def role_of(user: User | AnonymousUser) -> Role | None:
    """The user's role: a superuser is a coordinator; otherwise the role group it belongs to."""
    if user is SYSTEM:
        return Role.COORDINATOR
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.COORDINATOR
    cached: Role | None = getattr(user, "_shuangsuiji_role", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = next((role for role in Role if role.value in names), None)
        user._shuangsuiji_role = cached  # type: ignore[union-attr]
    return cached


def restrict(queryset: Q, user: User | AnonymousUser, action: Action = "view") -> Q:
    """The rows of `queryset` that `user` may act on; never more than the role allows."""
    role = role_of(user)
    if role is None:
        return queryset.none()
    queryset = _within_jurisdiction(queryset, user)
    if role is Role.COORDINATOR:
        return queryset
    if role is Role.AUDITOR:
        return queryset if action == "view" else queryset.none()

    model = queryset.model
    department_lookup: str | None = getattr(model, "DEPARTMENT_LOOKUP", None)
    department_id = getattr(user, "department_id", None)
    if role is Role.DEPARTMENT_ADMIN:
        if department_lookup is None:
            return queryset if action == "view" else queryset.none()
        if department_id is None:
            return queryset.none()
        return queryset.filter(**{department_lookup: department_id})

    # Inspector: read-only, its own records, and its department's check items.
    if action != "view":
        return queryset.none()
    inspector_lookup: str | None = getattr(model, "INSPECTOR_LOOKUP", None)
    if inspector_lookup is not None:
        inspector_id = getattr(user, "inspector_id", None)
        if inspector_id is None:
            return queryset.none()
        return queryset.filter(**{inspector_lookup: inspector_id})
    if department_lookup is not None and department_id is not None:
        return queryset.filter(**{department_lookup: department_id})
    return queryset.none()


def _within_jurisdiction(queryset: Q, user: User | AnonymousUser) -> Q:
    """Rows in the user's region or below; a superuser is everywhere, no department is nowhere."""
    region_lookup: str | None = getattr(queryset.model, "REGION_LOOKUP", None)
    if region_lookup is None or user.is_superuser:
        return queryset
    return _below_user_region(queryset, user, region_lookup)


def regions_in_jurisdiction(queryset: Q, user: User | AnonymousUser) -> Q:
    """Regions a user may file records under (a plan's region): its own and those below."""
    if user.is_superuser:
        return queryset
    return _below_user_region(queryset, user, "")


def _below_user_region(queryset: Q, user: User | AnonymousUser, path: str) -> Q:
    """Filter by the region ids themselves (one small query first), not by joins: with
    `region_id IN (…)` PostgreSQL walks an index on (region, id) for a page of a million
    entities, where three joined OR-ed conditions are checked row by row after the joins."""
    from shuangsuiji.directory.models import Region

    department = getattr(user, "department", None)
    if department is None:
        return queryset.none()
    regions = Region.objects.filter(in_region_subtree("", department.region_id))
    ids = list(regions.values_list("pk", flat=True))
    return queryset.filter(**{f"{path}__in" if path else "pk__in": ids})


def in_region_subtree(path: str, region_id: int) -> DbQ:
    """Rows whose region (at `path`, "" for a Region itself) is `region_id` or below it
    (province → city → county: two levels down)."""
    prefix = f"{path}__" if path else ""
    condition = DbQ(**{path or "pk": region_id})
    condition |= DbQ(**{f"{prefix}parent": region_id})
    condition |= DbQ(**{f"{prefix}parent__parent": region_id})
    return condition


def assignable_departments(queryset: Q, user: User | AnonymousUser) -> Q:
    """Departments a user may file records under: its region's for a coordinator, its own for
    a department admin."""
    role = role_of(user)
    if role is Role.COORDINATOR:
        return _within_jurisdiction(queryset, user)
    if role is Role.DEPARTMENT_ADMIN and getattr(user, "department_id", None) is not None:
        return queryset.filter(pk=user.department_id)  # type: ignore[union-attr]
    return queryset.none()
