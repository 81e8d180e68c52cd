"""Who may set a body's cap and enter its other checks: the coordinator of the body's region,
or an admin of that body itself (the body publishes its own cap); everyone else reads at most.
The one place the ledger's writes are decided, whatever calls them (page, command)."""

from typing import Any

from django.db.models import QuerySet

from shuangsuiji.accounts.permissions import SYSTEM, Role, restrict, role_of, within
from shuangsuiji.directory.models import Department, Entity


def may_write_for(user: Any, department: Department) -> bool:
    if user is SYSTEM:
        return True
    role = role_of(user)
    if role is Role.COORDINATOR:
        return within(user, department, "view")
    return role is Role.DEPARTMENT_ADMIN and getattr(user, "department_id", None) == department.pk


def writable_departments(user: Any, departments: QuerySet[Department]) -> QuerySet[Department]:
    """`may_write_for` as a filter, for the forms' choices: one query instead of one per
    body (a province's coordinator sees some 250)."""
    if user is SYSTEM:
        return departments
    role = role_of(user)
    if role is Role.COORDINATOR:
        return restrict(departments, user, "view")
    if role is Role.DEPARTMENT_ADMIN:
        return departments.filter(pk=getattr(user, "department_id", None))
    return departments.none()


def may_record_check(user: Any, department: Department, entity: Entity) -> bool:
    """A check of a company within the body's reach: the entity is one the user may see."""
    return may_write_for(user, department) and (user is SYSTEM or within(user, entity, "view"))


def may_enter_lists(user: Any) -> bool:
    """The 无事不扰 list is the local government's, entered by the region's coordinator: a
    department may not take companies out of its own draws."""
    return user is SYSTEM or role_of(user) is Role.COORDINATOR


def may_list_undisturbed(user: Any, entity: Entity) -> bool:
    """A company the coordinator's jurisdiction holds."""
    return may_enter_lists(user) and (user is SYSTEM or within(user, entity, "view"))
