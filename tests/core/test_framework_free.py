"""The core imports nothing from Django, so the verifier can run on a citizen's laptop."""

import pkgutil
import subprocess
import sys

import shuangsuiji.core

PROGRAM = """
import importlib, sys
assert not any(name == "django" or name.startswith("django.") for name in sys.modules)
for name in sys.argv[1:]:
    importlib.import_module(name)
leaked = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
print(",".join(leaked))
"""


def test_core_modules_import_without_django() -> None:
    modules = [
        f"shuangsuiji.core.{info.name}" for info in pkgutil.iter_modules(shuangsuiji.core.__path__)
    ]

    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, "shuangsuiji.core", *modules],
        capture_output=True,
        text=True,
        check=True,
    )

    assert len(modules) >= 4
    assert result.stdout.strip() == ""
