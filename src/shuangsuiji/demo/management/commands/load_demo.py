import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from shuangsuiji.demo.build import DEMO_PASSWORD, build_demo
from shuangsuiji.directory.models import Department


class Command(BaseCommand):
    help = "建立演示数据（潞城区2023、晋城市城区2024两个区县）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--entities", type=int, default=20_000, help="每个区县的检查对象户数")
        parser.add_argument("--rebuild", action="store_true", help="先清空数据库")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            call_command("flush", interactive=False, verbosity=0)
        elif Department.objects.exists():
            self.stdout.write("数据库中已有数据，跳过演示数据生成（如需重建请加 --rebuild）。")
            return
        started = time.perf_counter()
        summary = build_demo(
            entities_per_district=options["entities"], progress=self.stdout.write, approvals=True
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"演示数据已生成，用时 {elapsed:.1f} 秒：")
        for region, count in summary.entities.items():
            self.stdout.write(
                f"  {region}：检查对象 {count} 户，部门 {summary.departments[region]} 个，"
                f"执法人员 {summary.inspectors[region]} 名，"
                f"抽查事项 {summary.check_items[region]} 项"
            )
        for region, title in summary.plans.items():
            draws = summary.draws[region]
            visits = summary.visits[region]
            results = summary.inspections[region]
            self.stdout.write(
                f"  {region}：已导入计划“{title}”，{draws} 项任务已完成抽取；"
                f"合并前 {visits['before']} 次检查，合并后 {visits['after']} 次，已分派检查组；"
                f"检查结果：已公示 {results.get('published', 0)} 项，待公示 "
                f"{results.get('approved', 0)} 项，待审核 "
                f"{results.get('submitted', 0)} 项，已退回 {results.get('returned', 0)} 项"
            )
        for region, counts in summary.approvals.items():
            self.stdout.write(
                f"  {region}：检查审批 {counts['approved']} 项已审批，紧急检查事后审批 "
                f"{counts['emergency']} 项，待审批 {counts['pending']} 项"
            )
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, role, department in summary.users:
            self.stdout.write(f"  {username:24} {role}（{department}）")
        for uscc, token, name in summary.companies:
            self.stdout.write(
                "企业端（/company/login/，统一社会信用代码 + 通知书上的登录令牌，仅能使用一次）："
                f"\n  {uscc}  令牌 {token}（{name}）"
            )
