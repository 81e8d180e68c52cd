"""The directory pages' search and filter forms, and the import upload.

A filter form is also how the export and the count read the same query string, so the list,
its count and its .xlsx always describe the same rows.
"""

from pathlib import PurePath
from typing import Any

from django import forms
from django.db.models import QuerySet

from shuangsuiji.accounts.models import User
from shuangsuiji.accounts.permissions import regions_in_jurisdiction
from shuangsuiji.directory.enums import EntityStatus, RegionLevel, RiskClassChoices
from shuangsuiji.directory.models import Department, Inspector, Region, ScopeCategory

UNCLASSIFIED = "U"  # the risk filter's value for "not yet classified" (stored as "")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class EntityFilterForm(forms.Form):
    q = forms.CharField(
        label="查询",
        required=False,
        max_length=100,
        help_text="名称中的字词、统一社会信用代码（前几位即可）或拼音首字母",
    )
    region = forms.ModelChoiceField(
        label="行政区划", queryset=Region.objects.none(), required=False, empty_label="全部"
    )
    status = forms.ChoiceField(
        label="登记状态", choices=[("", "全部"), *EntityStatus.choices], required=False
    )
    risk = forms.ChoiceField(
        label="信用风险分类",
        choices=[("", "全部"), *RiskClassChoices.choices, (UNCLASSIFIED, "未分类")],
        required=False,
    )
    industry = forms.CharField(
        label="行业代码", required=False, max_length=5, help_text="前几位即可，如 F52"
    )
    category = forms.ModelChoiceField(
        label="检查对象类别",
        queryset=ScopeCategory.objects.order_by("name"),
        required=False,
        empty_label="全部",
    )

    def __init__(self, data: Any, *, user: User) -> None:
        super().__init__(data)
        regions = Region.objects.filter(level=RegionLevel.COUNTY).select_related("parent")
        self.fields["region"].queryset = regions_in_jurisdiction(regions, user)  # type: ignore[attr-defined]

    def filter(self, entities: QuerySet[Any]) -> QuerySet[Any]:
        """Apply the valid fields; an invalid form filters nothing further (errors show)."""
        if not self.is_valid():
            return entities
        data = self.cleaned_data
        entities = entities.search(data["q"]).in_industry(data["industry"])  # type: ignore[attr-defined]
        if data["region"] is not None:
            entities = entities.filter(region=data["region"])
        if data["status"]:
            entities = entities.filter(status=data["status"])
        if data["risk"]:
            risk = "" if data["risk"] == UNCLASSIFIED else data["risk"]
            entities = entities.filter(risk_class=risk)
        if data["category"] is not None:
            entities = entities.filter(categories=data["category"])
        return entities

    @property
    def has_text_search(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data["q"].strip())


class InspectorFilterForm(forms.Form):
    q = forms.CharField(
        label="查询", required=False, max_length=50, help_text="姓名、拼音首字母或执法证号"
    )
    department = forms.ModelChoiceField(
        label="所属部门", queryset=Department.objects.none(), required=False, empty_label="全部"
    )
    active = forms.ChoiceField(
        label="在岗", choices=[("", "全部"), ("1", "在岗"), ("0", "不在岗")], required=False
    )

    def __init__(self, data: Any, *, user: User) -> None:
        super().__init__(data)
        visible = Inspector.objects.visible_to(user).values("department")
        self.fields["department"].queryset = Department.objects.filter(pk__in=visible)  # type: ignore[attr-defined]

    def filter(self, inspectors: QuerySet[Any]) -> QuerySet[Any]:
        if not self.is_valid():
            return inspectors
        data = self.cleaned_data
        inspectors = inspectors.search(data["q"])  # type: ignore[attr-defined]
        if data["department"] is not None:
            inspectors = inspectors.filter(department=data["department"])
        if data["active"]:
            inspectors = inspectors.filter(is_active=data["active"] == "1")
        return inspectors


class EntityUploadForm(forms.Form):
    file = forms.FileField(label="检查对象名录文件（.xlsx 或 .csv）")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in (".xlsx", ".csv"):
            raise forms.ValidationError("请上传 .xlsx 或 .csv 文件（可先下载模板）。")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件超过 50 MB，请分成几个文件导入。")
        return upload
