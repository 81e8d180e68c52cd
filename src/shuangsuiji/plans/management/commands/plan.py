"""`shuangsuiji plan parse|import FILE`: read a published plan, print it or store it."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.plans.jsonio import plan_to_dict
from shuangsuiji.core.plans.model import Plan as ParsedPlan
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.directory.models import Region
from shuangsuiji.lib.commands import ActingCommand, acting_user, add_user_argument, visible_plan
from shuangsuiji.plans.exporters import FORMATS, export_plan
from shuangsuiji.plans.services import PlanImportError, import_plan


class Command(ActingCommand):
    help = "解析或导入年度部门联合双随机抽查工作计划（.txt .docx .xlsx .csv .html）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        parse = actions.add_parser("parse", help="解析并打印，不写入数据库")
        parse.add_argument("file", type=Path)
        parse.add_argument("--year", type=int, help="标题中没有年度时指定")
        parse.add_argument("--format", choices=["json", "table"], default="table")
        store = actions.add_parser("import", help="解析并在一个事务中导入")
        store.add_argument("file", type=Path)
        store.add_argument("--year", type=int)
        store.add_argument("--region", help="行政区划代码；缺省时按标题中的地区确定")
        store.add_argument("--replace", action="store_true", help="替换同名计划")
        add_user_argument(store)
        export = actions.add_parser("export", help="按原表格式导出已导入的计划")
        export.add_argument("plan_id", type=int)
        export.add_argument("--format", choices=sorted(FORMATS), default="xlsx")
        export.add_argument("-o", "--output", type=Path, required=True)
        add_user_argument(export)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            plan = visible_plan(options["plan_id"], acting_user(options["user"]))
            content, _, _ = export_plan(plan, options["format"])
            options["output"].write_bytes(content)
            self.stdout.write(f"已导出“{plan.title}”到 {options['output']}")
            return
        parsed = self._parse(options["file"], options["year"])
        if options["action"] == "parse":
            if options["format"] == "json":
                self.stdout.write(json.dumps(plan_to_dict(parsed), ensure_ascii=False, indent=2))
            else:
                self._print_table(parsed)
            return
        user = acting_user(options["user"])
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"未知的行政区划代码“{options['region']}”")
        try:
            plan = import_plan(
                parsed,
                filename=options["file"].name,
                region=region,
                year=options["year"],
                actor=user,
                replace=options["replace"],
            )
        except PlanImportError as error:
            raise CommandError(str(error)) from error
        problems = sum(
            1 for task in plan.tasks.all() for f in task.findings if f["severity"] != "info"
        )
        self.stdout.write(
            f"已导入“{plan.title}”（{plan.region.full_name}，{plan.year}年）："
            f"{plan.tasks.count()} 项任务，{problems} 处需要核对"
        )

    def _parse(self, path: Path, year: int | None) -> ParsedPlan:
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        try:
            return parse_plan(path.read_bytes(), path.name, year=year)
        except PlanFileError as error:
            raise CommandError(str(error)) from error

    def _print_table(self, plan: ParsedPlan) -> None:
        self.stdout.write(
            f"{plan.title}（{plan.locality or '地区未知'}，{plan.year or '年度未知'}）"
        )
        for finding in plan.findings:
            self.stdout.write(f"  [{finding.severity.value}] {finding.message}")
        for task in plan.tasks:
            ratio = f"{task.ratio_min:.0%}" if task.ratio_min is not None else "—"
            window = f"{task.window.start or '?'}～{task.window.end or '?'}"
            partners = "、".join(task.partner_departments) or "—"
            self.stdout.write(
                f"{task.seq or '—':>3} {task.name or '（缺少任务名称）'} | 比例 {ratio} | "
                f"频次 {task.frequency_per_year or '—'} | {task.risk_rule.kind.value} | {window} | "
                f"{task.lead_department or '—'} → {partners}"
            )
            for item in task.items:
                self.stdout.write(f"      · {item}")
            for finding in task.findings:
                self.stdout.write(
                    f"      [{finding.severity.value}] {finding.field}：{finding.message}"
                )
