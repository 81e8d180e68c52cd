from shuangsuiji.core.pinyin import MAX_VARIANTS, combine_initials, pinyin_initials


def test_pinyin_initials_of_a_department_name() -> None:
    assert pinyin_initials("潞城区市场监管局") == "lcqscjgj"


def test_pinyin_initials_offer_each_reading_of_a_heteronym() -> None:
    variants = pinyin_initials("长治市").split(" ")

    assert {"zzs", "czs"} <= set(variants)


def test_pinyin_initials_keep_latin_letters_lowercased() -> None:
    assert pinyin_initials("KTV娱乐") == "ktvyl"


def test_pinyin_initials_cap_the_number_of_variants() -> None:
    assert len(pinyin_initials("长长长长长长长长重重重重").split(" ")) <= MAX_VARIANTS


def test_combine_initials_matches_whole_name_for_plain_parts() -> None:
    parts = ["潞城区", "鑫源", "网吧"]

    combined = combine_initials(*(pinyin_initials(part) for part in parts))

    assert combined == pinyin_initials("".join(parts))


def test_combine_initials_keeps_variants_of_each_part() -> None:
    assert combine_initials("zz cz", "wb") == "zzwb czwb"


def test_pinyin_initials_leave_out_rare_readings() -> None:
    assert pinyin_initials("九方").split(" ") == ["jf", "jp"]
