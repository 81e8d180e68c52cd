"""Shuangsuiji (双随机): joint random regulatory spot checks, end to end and publicly verifiable."""

__version__ = "0.1.0"
