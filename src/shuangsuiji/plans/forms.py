from django import forms

from shuangsuiji.core.plans.readers import FORMATS, MAX_FILE_BYTES


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="计划文件",
        help_text=f"支持 {'、'.join(FORMATS)}，不超过 {MAX_FILE_BYTES // (1024 * 1024)} MB",
    )
    year = forms.IntegerField(
        label="计划年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="标题中没有年度时填写",
    )
