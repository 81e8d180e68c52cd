"""统一社会信用代码 (GB 32100-2015): validation and construction.

The check digit arithmetic is python-stdnum's; this module only turns its exceptions into
messages that name the code, and builds valid codes for demo data.
"""

from stdnum.cn import uscc as _uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from shuangsuiji.core.errors import InvalidUSCC

_REASONS: dict[type[ValidationError], str] = {
    InvalidLength: "长度应为18位",
    InvalidFormat: "格式错误（前8位应为数字，其余为数字或不含I、O、S、V、Z的大写字母）",
    InvalidChecksum: "校验位错误",
}


def validate_uscc(code: str) -> str:
    """Return the code in canonical form (no spaces, upper case) or raise InvalidUSCC."""
    raw = code.strip()
    try:
        return str(_uscc.validate(raw.upper()))
    except ValidationError as error:
        raise InvalidUSCC(raw, _REASONS.get(type(error), "格式错误")) from error


def make_uscc(registration_authority: str, entity_type: str, region_code: str, body: str) -> str:
    """Assemble a valid code from its parts: 1+1 chars of authority/type, 6 of region, 9 of body."""
    stem = f"{registration_authority}{entity_type}{region_code}{body}".upper()
    if len(stem) != 17:
        raise InvalidUSCC(stem, "前17位长度不足")
    return stem + str(_uscc.calc_check_digit(stem))


def looks_like_uscc(text: str) -> bool:
    """Whether a search term is meant as a code (18 ASCII letters and digits), not a name."""
    return len(text) == 18 and text.isascii() and text.isalnum()
