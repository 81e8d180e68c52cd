"""The ledger's two entry forms; the services check who may and what is valid."""

from datetime import date
from typing import Any

from django import forms

from shuangsuiji.checks.models import CheckKind
from shuangsuiji.directory.enums import InspectionMethod


class CapForm(forms.Form):
    department = forms.ModelChoiceField(queryset=None, label="检查主体")  # type: ignore[arg-type]
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    limit = forms.IntegerField(label="每年对同一企业的检查上限（次）", min_value=1, max_value=99)
    source = forms.CharField(label="公布依据（文件名称、文号或网址）", max_length=300)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class OtherCheckForm(forms.Form):
    uscc = forms.CharField(label="检查对象统一社会信用代码", min_length=18, max_length=18)
    department = forms.ModelChoiceField(queryset=None, label="检查主体")  # type: ignore[arg-type]
    checked_on = forms.DateField(
        label="检查日期", widget=forms.DateInput(attrs={"type": "date"}), initial=date.today
    )
    kind = forms.ChoiceField(label="检查类型", choices=CheckKind.choices)
    method = forms.ChoiceField(label="检查方式", choices=InspectionMethod.choices)
    items = forms.CharField(label="检查事项", max_length=300)
    basis = forms.CharField(label="检查依据（计划编号或触发原因）", max_length=300)

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]

    def clean_uscc(self) -> str:
        return str(self.cleaned_data["uscc"]).strip().upper()
