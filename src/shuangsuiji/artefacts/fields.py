"""`FrozenContent`: how a row names a frozen artefact and reads it when asked."""

from collections.abc import Callable
from typing import Any

from shuangsuiji.artefacts.services import read


class FrozenContent:
    """A model attribute that reads the artefact a foreign key names, decoded, on first use
    (then cached on the instance for that digest); None while the key is empty.

    It refuses assignment, so a caller cannot believe it stored a value: storing is
    `artefacts.services.store_*`, and the row then names the returned artefact."""

    def __init__(self, key: str, decode: Callable[[bytes], Any]) -> None:
        self.key = key
        self.decode = decode
        self.name = key

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        digest = getattr(instance, f"{self.key}_id")
        if digest is None:
            return None
        cache = instance.__dict__.setdefault("_frozen_content", {})
        if cache.get(self.name, (None,))[0] != digest:
            cache[self.name] = (digest, self.decode(read(digest)))
        return cache[self.name][1]

    def __set__(self, instance: Any, value: Any) -> None:
        raise AttributeError(
            f"{self.name} is a frozen artefact: store it with artefacts.services and set "
            f"{self.key} to the result"
        )
