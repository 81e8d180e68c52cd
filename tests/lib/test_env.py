import pytest

from shuangsuiji.lib.env import ConfigurationError, env_bool, env_int, env_list


def test_env_bool_reads_common_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "Yes")

    assert env_bool("FLAG", False) is True


def test_env_bool_refuses_a_guess(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "maybe")

    with pytest.raises(ConfigurationError, match="FLAG='maybe'"):
        env_bool("FLAG", False)


def test_env_int_refuses_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIZE", "ten")

    with pytest.raises(ConfigurationError, match="SIZE='ten'"):
        env_int("SIZE", 1)


def test_env_list_splits_and_trims(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", " a.gov.cn, ,b.gov.cn ")

    assert env_list("HOSTS", []) == ["a.gov.cn", "b.gov.cn"]


def test_env_helpers_return_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UNSET_VAR", raising=False)

    assert (env_bool("UNSET_VAR", True), env_int("UNSET_VAR", 7)) == (True, 7)
