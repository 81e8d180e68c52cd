"""What the coordinator's management commands share: acting as a named user (the pages' role
checks and row scope, the audit log's user), finding a plan that user may reach, and output
that scripts can read (one line per item, or JSON).

A command's `handle` runs inside `audit.recorder.acting_as(user)`, so every entry its services
write names that user, as the audit middleware does for a page.
"""

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db.models import QuerySet
from django.http import HttpRequest

from shuangsuiji.accounts.permissions import Role, role_of
from shuangsuiji.plans.models import Plan


class ActingCommand(BaseCommand):
    """A command that acts as --user: the services' rules decide, and a refusal is said as the
    command's error (message on stderr, exit code 1), as the pages answer 403."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except PermissionDenied as error:
            who = f"用户“{options['user']}”" if options.get("user") else ""
            raise CommandError(f"{who}无权操作：{error}") from error


def add_user_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--user",
        required=True,
        metavar="用户名",
        help="以该用户的身份操作：角色与权限同网页，审计日志记录此用户",
    )


def acting_user(username: str, *, roles: Iterable[Role] = (), permission: str | None = None) -> Any:
    """The active user named by --user; with `roles` or `permission`, one allowed to act."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--user：没有用户“{username}”")
    if not user.is_active:
        raise CommandError(f"--user：用户“{username}”已停用")
    role = role_of(user)
    allowed = tuple(roles)
    if (allowed and role not in allowed) or (permission and not user.has_perm(permission)):
        needed = "或".join(r.value for r in allowed) if allowed else Role.COORDINATOR.value
        shown = role.value if role else "（无）"
        raise CommandError(f"用户“{username}”的角色是{shown}：此操作只有{needed}可以进行")
    return user


def request_as(user: Any) -> HttpRequest:
    """A request carrying only `user`, for the pages' own lookups that take one (the API reads
    draws and assignments through the same functions)."""
    request = HttpRequest()
    request.user = user
    return request


def visible_plan(plan_id: int, user: Any) -> Plan:
    plan = Plan.objects.visible_to(user).select_related("region").filter(pk=plan_id).first()
    if plan is None:
        raise CommandError(f"--plan：计划 {plan_id} 不存在或用户“{user}”无权查看")
    return plan


def chosen_by_id(rows: QuerySet[Any], ids: Iterable[int], *, option: str, what: str) -> Any:
    """The rows with these ids; every id not among `rows` is named in the error."""
    wanted = set(ids)
    chosen = rows.filter(pk__in=wanted)
    missing = sorted(wanted - set(chosen.values_list("pk", flat=True)))
    if missing:
        raise CommandError(f"{option}：没有编号为 {'、'.join(map(str, missing))} 的{what}")
    return chosen


def write_rows(stdout: OutputWrapper, rows: list[dict[str, Any]], *, as_json: bool) -> None:
    """Rows as a JSON array, or one tab-separated line per row (values in the dicts' order)."""
    if as_json:
        stdout.write(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    for row in rows:
        stdout.write("\t".join("" if v is None else str(v) for v in row.values()))
