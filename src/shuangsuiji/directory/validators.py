"""Form and model validators that wrap the core's checks in Django's ValidationError."""

import re

from django.core.exceptions import ValidationError

from shuangsuiji.core.errors import InvalidUSCC
from shuangsuiji.core.uscc import validate_uscc

INDUSTRY_CODE = re.compile(r"^[A-T](\d{2}|\d{3}|\d{4})?$")


def uscc_validator(value: str) -> None:
    try:
        validate_uscc(value)
    except InvalidUSCC as error:
        raise ValidationError(str(error), code="invalid_uscc") from error


def industry_code_validator(value: str) -> None:
    if value and not INDUSTRY_CODE.match(value):
        raise ValidationError(
            f"行业代码“{value}”无效：应为 GB/T 4754 门类字母加2至4位数字，如 H6110",
            code="invalid_industry_code",
        )
