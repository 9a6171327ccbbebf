"""Started from a fresh clone (no compiled catalogues), the app still speaks Chinese."""

import shutil
from pathlib import Path

import pytest

from app.catalogues import CatalogueError

TRANSLATIONS = Path(__file__).resolve().parents[2] / "app" / "translations"


@pytest.fixture
def sources_only(tmp_path: Path) -> Path:
    """A copy of the catalogues as git has them: .po files, no .mo."""
    shutil.copytree(TRANSLATIONS, tmp_path / "translations", ignore=shutil.ignore_patterns("*.mo"))
    return tmp_path / "translations"


def test_a_start_without_compiled_catalogues_serves_chinese(other_app, sources_only) -> None:
    client = other_app(BABEL_TRANSLATION_DIRECTORIES=str(sources_only)).test_client()

    login = client.get("/auth/login")
    missing = client.get("/no-such-page")

    assert '<html lang="zh-CN">' in login.text
    assert "登录" in login.text and "Sign in" not in login.text
    assert missing.status_code == 404
    assert "页面不存在。" in missing.text and "This page does not exist." not in missing.text
    assert sorted(p.parent.parent.name for p in sources_only.glob("*/LC_MESSAGES/*.mo")) == [
        "en",
        "zh_Hans_CN",
    ]


def test_a_language_without_a_catalogue_stops_the_start(other_app, sources_only) -> None:
    shutil.rmtree(sources_only / "zh_Hans_CN")
    with pytest.raises(CatalogueError, match="No message catalogue for zh_Hans_CN"):
        other_app(BABEL_TRANSLATION_DIRECTORIES=str(sources_only))
