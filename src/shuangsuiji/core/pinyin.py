"""Pinyin initials for search: users type "lcqscjgj" for 潞城区市场监管局."""

from pypinyin import Style, lazy_pinyin, pinyin

MAX_VARIANTS = 6
COMMON_READINGS = 2  # rarer readings (方 as wéi) match too much to be worth offering


def pinyin_initials(text: str) -> str:
    """Initials of every character; space-separated variants cover heteronyms (长治 → zz, cz).

    The first variant is pypinyin's phrase-aware reading; each further one swaps the reading of a
    single heteronym, which is how a user who knows the name would type it. Non-Chinese characters
    are kept lower-cased, so "KTV娱乐" gives "ktvyl".
    """
    base = [_initial(s) for s in lazy_pinyin(text, style=Style.FIRST_LETTER, errors=_split)]  # type: ignore[arg-type]
    if len(base) != len(text):
        return "".join(base)
    variants = ["".join(base)]
    readings = pinyin(text, style=Style.FIRST_LETTER, heteronym=True, errors=_split)  # type: ignore[arg-type]
    for position, options in enumerate(readings):
        for option in options[:COMMON_READINGS]:
            letter = _initial(option)
            if letter and letter != base[position]:
                swapped = "".join([*base[:position], letter, *base[position + 1 :]])
                variants.append(swapped)
    return " ".join(list(dict.fromkeys(variants))[:MAX_VARIANTS])


def _split(chars: str) -> list[str]:
    """Keep each non-Chinese character as its own reading (pypinyin accepts a list, its stub
    says str), so positions stay aligned with the text."""
    return list(chars)


def _initial(reading: str) -> str:
    return reading[:1].lower()


def combine_initials(*parts: str) -> str:
    """The initials of a name built from parts, given each part's `pinyin_initials`.

    Bulk builders cache the initials of reusable parts (a district, a trade name, a category)
    instead of re-reading a million whole names; variants combine as in `pinyin_initials`.
    """
    options = [part.split(" ") if part else [""] for part in parts]
    base = [variants[0] for variants in options]
    combined = ["".join(base)]
    for position, variants in enumerate(options):
        for alternative in variants[1:]:
            combined.append("".join([*base[:position], alternative, *base[position + 1 :]]))
    return " ".join(list(dict.fromkeys(combined))[:MAX_VARIANTS])
