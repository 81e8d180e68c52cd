"""Exceptions raised by the core; each carries a message a user can act on."""


class ShuangsuijiError(ValueError):
    """Base class: bad domain input, explained in the message."""


class InvalidUSCC(ShuangsuijiError):
    """A 统一社会信用代码 that is malformed or fails its check digit."""

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"统一社会信用代码“{code}”无效：{reason}")


class InvalidRiskClass(ShuangsuijiError):
    """A credit-risk class that is not one of A/B/C/D or their Chinese names."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(
            f"信用风险分类“{value}”无效：应为 A/B/C/D 或 低风险/一般风险/较高风险/高风险"
        )


class PlanFileError(ShuangsuijiError):
    """A plan file that cannot be read as a table at all; nothing of it is imported."""
