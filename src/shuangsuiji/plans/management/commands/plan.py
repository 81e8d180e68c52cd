"""`shuangsuiji plan parse|import FILE`: read a published plan, print it or store it (as a
draft); `shuangsuiji plan publish|withdraw|delete ID`: the plan's life as a public document;
`shuangsuiji plan score DIR`: how well the parser reads a folder of plans with expectations."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from shuangsuiji.core.errors import PlanFileError
from shuangsuiji.core.plans.jsonio import plan_to_dict
from shuangsuiji.core.plans.model import Plan as ParsedPlan
from shuangsuiji.core.plans.parse import parse_plan
from shuangsuiji.core.plans.score import CorpusScore, Tally, expectation_files, score_folder
from shuangsuiji.directory.models import Region
from shuangsuiji.lib.commands import ActingCommand, acting_user, add_user_argument, visible_plan
from shuangsuiji.plans.exporters import FORMATS, export_plan
from shuangsuiji.plans.publication import (
    PlanStateError,
    delete_draft,
    publish_plan,
    withdraw_plan,
)
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
        store.add_argument("--publish", action="store_true", help="导入后立即发布（缺省为草稿）")
        add_user_argument(store)
        publish = actions.add_parser("publish", help="发布草稿计划（公开，任务可以抽取）")
        publish.add_argument("plan_id", type=int)
        add_user_argument(publish)
        withdraw = actions.add_parser("withdraw", help="撤回已发布的计划（原因随计划公示）")
        withdraw.add_argument("plan_id", type=int)
        withdraw.add_argument("--reason", required=True, help="撤回原因，至少6个字")
        add_user_argument(withdraw)
        delete = actions.add_parser("delete", help="删除草稿计划")
        delete.add_argument("plan_id", type=int)
        add_user_argument(delete)
        export = actions.add_parser("export", help="按原表格式导出已导入的计划")
        export.add_argument("plan_id", type=int)
        export.add_argument("--format", choices=sorted(FORMATS), default="xlsx")
        export.add_argument("-o", "--output", type=Path, required=True)
        add_user_argument(export)
        score = actions.add_parser(
            "score", help="按手工核对的期望值给文件夹中的计划打分（<名称>.expected.json）"
        )
        score.add_argument("folder", type=Path)
        score.add_argument("--misses", action="store_true", help="逐项列出读错的字段")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "score":
            self._score(options["folder"], misses=options["misses"])
            return
        if options["action"] == "export":
            plan = visible_plan(options["plan_id"], acting_user(options["user"]))
            content, _, _ = export_plan(plan, options["format"])
            options["output"].write_bytes(content)
            self.stdout.write(f"已导出“{plan.title}”到 {options['output']}")
            return
        if options["action"] in ("publish", "withdraw", "delete"):
            self._publication(options)
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
            if options["publish"]:
                plan = publish_plan(plan, actor=user)
        except (PlanImportError, PlanStateError) as error:
            raise CommandError(str(error)) from error
        problems = sum(
            1 for task in plan.tasks.all() for f in task.findings if f["severity"] != "info"
        )
        self.stdout.write(
            f"已导入“{plan.title}”（{plan.region.full_name}，{plan.year}年）："
            f"{plan.tasks.count()} 项任务，{problems} 处需要核对；{plan.state_label}"
        )

    def _publication(self, options: dict[str, Any]) -> None:
        """发布, 撤回 and 删除 through the services the plan's page uses."""
        user = acting_user(options["user"])
        plan = visible_plan(options["plan_id"], user)
        try:
            if options["action"] == "publish":
                publish_plan(plan, actor=user)
                self.stdout.write(f"已发布“{plan.title}”")
            elif options["action"] == "withdraw":
                withdraw_plan(plan, actor=user, reason=options["reason"])
                self.stdout.write(f"已撤回“{plan.title}”")
            else:
                self.stdout.write(f"已删除草稿“{delete_draft(plan, actor=user)}”")
        except PlanStateError as error:
            raise CommandError(str(error)) from error

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

    def _score(self, folder: Path, *, misses: bool) -> None:
        if not folder.is_dir() or not expectation_files(folder):
            raise CommandError(f"{folder} 中没有 *.expected.json 期望值文件")
        try:
            corpus = score_folder(folder)
        except (FileNotFoundError, ValueError) as error:
            raise CommandError(str(error)) from error
        self._print_score(corpus, misses=misses)

    def _print_score(self, corpus: CorpusScore, *, misses: bool) -> None:
        self.stdout.write("计划：任务数（读出/应有）  字段（正确/总数）  错误中有提示/无提示")
        for plan in corpus.plans:
            tasks = f"{plan.parsed_tasks}/{plan.expected_tasks}"
            mark = "任务数正确" if plan.tasks_right else "任务数错误"
            self.stdout.write(f"{plan.name}  {tasks} {mark}  {_tally(plan.overall)}")
            if plan.refused:
                self.stdout.write(f"    未能读取：{plan.refused}")
            if misses:
                for miss in plan.misses:
                    where = f"任务{miss.task}" if miss.task else "计划"
                    told = "有提示" if miss.flagged else "无提示"
                    self.stdout.write(
                        f"    {where} {miss.kind}（{told}）：应为 {miss.expected!r}，"
                        f"读出 {miss.parsed!r}"
                    )
        self.stdout.write("按字段：")
        for kind, tally in corpus.kinds.items():
            self.stdout.write(f"  {kind:<20} {_tally(tally)}")
        self.stdout.write(
            f"合计：{_tally(corpus.overall)}；任务数正确的计划 "
            f"{corpus.tasks_right}/{len(corpus.plans)}"
        )


def _tally(tally: Tally) -> str:
    return (
        f"{tally.right}/{tally.total}（{tally.share:.1%}）  "
        f"有提示 {tally.flagged} 无提示 {tally.silent}"
    )
