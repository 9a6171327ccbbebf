"""The rules of a new password, with the message a person reads, in Chinese and English."""

import pytest
from flask import Flask
from flask_babel import force_locale

from app.models import Role
from app.services import passwords
from app.services.errors import RuleViolation
from app.services.users import change_password, save_user
from tests.fixtures.factories import PASSWORD, make_user

COMMON = "最常见的密码"
SHORT = "至少使用 10 个字符"
LOCAL = "@ 前面的部分"


def problem(password: str, email: str = "zhang.wei@example.cn", locale: str = "zh_CN") -> str:
    with force_locale(locale):
        found = passwords.password_problem(password, email)
        return "" if found is None else str(found)


@pytest.mark.parametrize(
    "password",
    [
        "12345678",
        "password",
        "11111111",
        "PASSWORD",  # case does not help
        "qwertyuiop123",  # the 14,013th of the list
        "deerhunter",  # the 14,149th
    ],
)
def test_the_commonest_passwords_are_refused_whatever_their_length(
    app: Flask, password: str
) -> None:
    assert COMMON in problem(password)
    assert "Choose another" in problem(password, locale="en")


def test_the_list_is_the_thirty_thousand_commonest(app: Flask) -> None:
    assert len(passwords.common_passwords()) >= 10_000


@pytest.mark.parametrize("password", ["a1b2c3d4e", "九个字符的密码好吗"])
def test_nine_characters_are_too_few(app: Flask, password: str) -> None:
    assert SHORT in problem(password)
    assert "at least 10 characters" in problem(password, locale="en")


def test_the_local_part_of_the_address_is_refused(app: Flask) -> None:
    assert LOCAL in problem("Zhang.Wei-spring-2026")
    assert "before the @" in problem("zhang.wei-spring-2026", locale="en")
    # A local part of one or two letters would refuse too many good passwords.
    assert problem("li 家的 茶园 在 峨眉", email="li@example.cn") == ""


@pytest.mark.parametrize(
    "password", ["峨眉山月半轮秋 影入平羌", "correct horse battery", "tenant-12345-乐山"]
)
def test_a_good_password_passes(app: Flask, password: str) -> None:
    assert problem(password) == ""


def test_the_rules_apply_when_a_password_is_set_not_when_signing_in(app: Flask) -> None:
    """The demo's tenant123 signs in; nobody can choose it again."""
    user = make_user(email="li.lei@example.cn")
    with pytest.raises(RuleViolation) as refused:
        change_password(user, PASSWORD, "tenant123", None)
    assert refused.value.field == "new_password"
    with pytest.raises(RuleViolation):
        save_user(
            None,
            None,
            email="han.mei@example.cn",
            name="韩梅",
            role=Role.MANAGER,
            company=None,
            password="11111111",
        )
