import re
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms

from shuangsuiji.accounts.permissions import in_region_subtree
from shuangsuiji.core.plans.convert import office_program
from shuangsuiji.core.plans.readers import FORMATS, MAX_FILE_BYTES
from shuangsuiji.directory.enums import EntityStatus, RiskClassChoices
from shuangsuiji.directory.models import Department, Region, ScopeCategory
from shuangsuiji.plans.models import PlanTask
from shuangsuiji.plans.population import PopulationFilter
from shuangsuiji.plans.services import LOCKED_AFTER_DRAW, InvalidScope, industry_prefixes

YEAR_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
INDUSTRY_SEPARATORS = re.compile(r"[\s,，、;；]+")
# The form's names for the fields a draw is frozen from (ratio is edited as a percentage).
LOCKED_AFTER_DRAW_FORM = tuple(
    "ratio_percent" if name == "ratio_min" else name for name in LOCKED_AFTER_DRAW
)


# A pasted table is held in the request and in memory whole, so it is bounded well below
# Django's request limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB: 500,000 Chinese characters
# are 1.5 MB as UTF-8); a longer plan is uploaded as a file.
MAX_PASTE_CHARS = 500_000
PASTED_FILENAME = "粘贴的表格.txt"


class PlanUploadForm(forms.Form):
    """The plan as a file or as a table pasted from a web page, WPS or Excel: exactly one."""

    file = forms.FileField(
        label="计划文件",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(FORMATS)}),
    )
    text = forms.CharField(
        label="或粘贴表格",
        required=False,
        strip=False,  # a leading tab is an empty first cell, not padding
        max_length=MAX_PASTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 10, "cols": 96, "spellcheck": "false"}),
        help_text="从网页、WPS 或 Excel 中选中整张计划表格（连同标题）复制后粘贴到这里；"
        f"不超过 {MAX_PASTE_CHARS // 10_000} 万字，更长的计划请保存为文件上传",
        error_messages={
            "max_length": f"粘贴的内容过长（%(show_value)d 字）：不能超过 {MAX_PASTE_CHARS} 字，"
            "请把计划保存为文件后上传"
        },
    )
    year = forms.IntegerField(
        label="计划年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="标题中没有年度时填写",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_help()
        # The browser would cut a longer paste at maxlength without a word, losing the last
        # tasks; the server refuses it with a message instead.
        self.fields["text"].widget.attrs.pop("maxlength", None)

    def clean_text(self) -> str:
        """Line ends as the parser expects them (a browser sends CRLF); blank is no paste."""
        text: str = self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")
        return text if text.strip() else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_file, has_text = bool(data.get("file")), bool(data.get("text"))
        if has_file and has_text:
            raise forms.ValidationError("请上传文件或粘贴表格，二者只选一种")
        if not (has_file or has_text) and not self.has_error("text"):
            raise forms.ValidationError("请选择计划文件，或把计划表格粘贴到文本框中")
        return data

    def upload(self) -> tuple[str, bytes]:
        """The plan's file name and bytes: a paste is stored as UTF-8 text like an upload,
        so the confirmation parses the same bytes the preview showed."""
        if self.cleaned_data["text"]:
            return PASTED_FILENAME, self.cleaned_data["text"].encode("utf-8")
        upload = self.cleaned_data["file"]
        return PurePath(upload.name).name, upload.read()


def upload_help() -> str:
    """The formats read here, and what this server cannot read without LibreOffice (asked
    at each form, so installing it needs no restart)."""
    limit = MAX_FILE_BYTES // (1024 * 1024)
    text = f"支持 {'、'.join(FORMATS)}，不超过 {limit} MB"
    if office_program() is None:
        text += "；本服务器未安装 LibreOffice，暂不能读取 .doc、.wps（可另存为 .docx 后上传）"
    return text


def year_month_field(label: str, example: str) -> forms.RegexField:
    return forms.RegexField(
        label=label,
        regex=YEAR_MONTH,
        required=False,
        help_text=f"如 {example}",
        error_messages={"invalid": f"请写作“年-月”，如 {example}"},
    )


class TaskForm(forms.ModelForm):  # type: ignore[type-arg]
    """Every field of a task as the plan's table has it. Once the task has a draw, the fields
    the draw was frozen from are shown but disabled (`lock_drawn`); a department admin cannot
    hand the task to another department (`lock_lead`)."""

    items = forms.CharField(
        label="抽查事项",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="每行一项",
    )
    ratio_percent = forms.DecimalField(
        label="最低抽查比例（%）",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=4,
    )
    window_start = year_month_field("开始年月", "2024-03")
    window_end = year_month_field("结束年月", "2024-10")

    class Meta:
        model = PlanTask
        fields = [
            "seq",
            "name",
            "items",
            "scope",
            "ratio_percent",
            "sample_count",
            "frequency_per_year",
            "sampling_type",
            "risk_kind",
            "risk_class",
            "risk_text",
            "window_start",
            "window_end",
            "lead_department",
            "partner_departments",
            "partners_open_ended",
            "mode_text",
            "note",
            "team_size",
            "joint_inspection",
        ]
        widgets = {
            "partner_departments": forms.CheckboxSelectMultiple,
            "risk_text": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: Any, lock_drawn: bool = False, lock_lead: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        task: PlanTask = self.instance
        departments = Department.objects.filter(region=task.plan.region_id)
        self.fields["lead_department"].queryset = departments
        self.fields["partner_departments"].queryset = departments
        self.fields["risk_class"].widget = forms.Select(
            choices=[("", "—"), *RiskClassChoices.choices]
        )
        self.initial["items"] = "\n".join(task.items)
        if task.ratio_min is not None:
            self.initial["ratio_percent"] = _plain(task.ratio_min * 100)
        for name in LOCKED_AFTER_DRAW_FORM if lock_drawn else ():
            self.fields[name].disabled = True
            self.fields[name].help_text = "已冻结抽取名单，不能修改"
        if lock_lead:
            self.fields["lead_department"].disabled = True
            self.fields["lead_department"].help_text = "发起部门由协调员调整"

    def clean_items(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        percent = data.pop("ratio_percent", None)
        data["ratio_min"] = None if percent is None else _plain(percent / 100)
        return data


def _plain(value: Decimal) -> Decimal:
    """30 rather than 3E+1 (what Decimal.normalize gives) in a form field."""
    return Decimal(format(value.normalize(), "f"))


class PopulationForm(forms.Form):
    """A task's population as a filter over the directory; `scope()` is what gets counted."""

    scope_categories = forms.ModelMultipleChoiceField(
        label="检查对象类别",
        queryset=ScopeCategory.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scope_industry_codes = forms.CharField(
        label="行业代码（前缀）",
        required=False,
        help_text="GB/T 4754 行业代码或其前缀，以空格或逗号分隔，如 H61 P8331；"
        "与所选类别任一相符即在范围内",
    )
    scope_regions = forms.ModelMultipleChoiceField(
        label="限于下级区划",
        queryset=Region.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="不选为计划所属区划全部",
    )
    scope_statuses = forms.MultipleChoiceField(
        label="登记状态",
        choices=[(s, s) for s in EntityStatus.active()],
        required=True,
        widget=forms.CheckboxSelectMultiple,
        help_text="其余状态（迁出、注销、吊销）的主体不抽取，列入排除名单并写明原因",
        error_messages={"required": "至少选择一种登记状态"},
    )
    scope_min_capital = forms.DecimalField(
        label="注册资本不低于（万元）",
        required=False,
        min_value=Decimal(0),
        decimal_places=2,
        max_digits=14,
    )

    def __init__(self, *args: Any, task: PlanTask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task
        self.fields["scope_regions"].queryset = Region.objects.filter(
            in_region_subtree("", task.plan.region_id)
        ).exclude(pk=task.plan.region_id)

    @classmethod
    def initial_of(cls, task: PlanTask) -> dict[str, Any]:
        return {
            "scope_categories": list(task.scope_categories.all()),
            "scope_industry_codes": " ".join(task.scope_industry_codes),
            "scope_regions": list(task.scope_regions.all()),
            "scope_statuses": list(task.scope_statuses) or EntityStatus.active(),
            "scope_min_capital": task.scope_min_capital,
        }

    def clean_scope_industry_codes(self) -> list[str]:
        text = self.cleaned_data["scope_industry_codes"]
        try:
            return industry_prefixes(INDUSTRY_SEPARATORS.split(text))
        except InvalidScope as error:
            raise forms.ValidationError(str(error)) from error

    def clean_scope_statuses(self) -> list[str]:
        """All active statuses chosen is the default, stored as [] like every older task."""
        chosen = [s for s in EntityStatus.active() if s in self.cleaned_data["scope_statuses"]]
        return [] if chosen == EntityStatus.active() else chosen

    def scope(self) -> PopulationFilter:
        data = self.cleaned_data
        return PopulationFilter(
            region_id=self.task.plan.region_id,
            sub_region_ids=tuple(sorted(r.pk for r in data["scope_regions"])),
            category_ids=tuple(sorted(c.pk for c in data["scope_categories"])),
            industry_prefixes=tuple(data["scope_industry_codes"]),
            statuses=tuple(data["scope_statuses"]),
            min_capital=data["scope_min_capital"],
        )
