import pytest
from django.contrib.auth.models import Group

from shuangsuiji.accounts.permissions import Role

pytestmark = pytest.mark.django_db


def perms(role: Role) -> set[str]:
    group = Group.objects.get(name=role.value)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_migrate_creates_the_four_role_groups() -> None:
    assert set(Group.objects.values_list("name", flat=True)) == {
        "协调员",
        "部门管理员",
        "执法人员",
        "审计员",
    }


def test_department_admin_reads_shared_directory_and_writes_department_records() -> None:
    granted = perms(Role.DEPARTMENT_ADMIN)

    assert {
        "directory.view_entity",
        "directory.change_inspector",
        "directory.add_checkitem",
        "directory.delete_conflict",
    } <= granted
    assert {
        "directory.change_entity",
        "directory.change_department",
        "accounts.view_user",
    } & granted == set()


def test_auditor_only_views() -> None:
    assert {codename.split(".")[1].split("_")[0] for codename in perms(Role.AUDITOR)} == {"view"}


def test_inspector_role_reads_its_visits_may_recuse_and_records_results() -> None:
    assert perms(Role.INSPECTOR) == {
        "inspections.view_inspection",
        "inspections.add_inspection",
        "inspections.change_inspection",
        "inspections.view_attachment",
        "inspections.add_attachment",
        "inspections.change_attachment",
        "inspections.view_resultcategory",
        "directory.view_inspector",
        "directory.view_checkitem",
        "assignments.view_visit",
        "assignments.view_teammember",
        "assignments.view_recusal",
        "assignments.add_recusal",
    }


def test_coordinator_only_reads_shared_reference_data() -> None:
    shared = {"region", "scopecategory", "qualification", "resultcategory"}

    granted = {
        codename.split(".")[1]
        for codename in perms(Role.COORDINATOR)
        if codename.split(".")[1].split("_", 1)[1] in shared
    }

    assert granted == {f"view_{model}" for model in shared}
