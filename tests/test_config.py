"""Configuration loading: the demo file, defaults, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.config import ConfigError, load_config, resolve_config_path, resolve_data_dir


def test_demo_config_declares_one_folder_source_per_kind(corpus_dir: Path) -> None:
    config = load_config(corpus_dir / "demo.toml")
    names = [s.name for s in config.sources]
    assert names == ["kamerstukken", "kamerstukken-xml", "kamerstukken-html", "aanhangsel",
                     "rijksoverheid", "regelgeving"]
    assert {s.kind for s in config.sources} == {"folder"}
    # paths are resolved relative to the config file, and exist
    for source in config.sources:
        assert Path(source.options["path"]).is_dir(), source.options["path"]
    assert config.settings.politeness.delay == 0.0
    assert config.source("aanhangsel").options["defaults"] == {"category": "aanhangsel"}


def test_unknown_source_is_named_with_the_known_ones(corpus_dir: Path) -> None:
    config = load_config(corpus_dir / "demo.toml")
    with pytest.raises(ConfigError, match="unknown source 'nope'.*kamerstukken"):
        config.source("nope")


@pytest.mark.parametrize("text, message", [
    ("[[source]]\nkind = 'folder'\n", "lacks name"),
    ("[[source]]\nname='a'\nkind='folder'\npath='.'\n[[source]]\nname='a'\nkind='folder'\npath='.'\n", "used twice"),
    ("[settings]\ndelay = \n", "not valid TOML"),
    ("[settings]\nbatch_size = 5\n[settings.x]\n", "onbekende instelling 'x'"),
    ("[settings]\nbatch_size = 5\n", ""),
])
def test_bad_config_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text)
    if message:
        with pytest.raises(ConfigError, match=message):
            load_config(path)
    else:
        assert load_config(path).settings.crawl.batch_size == 5


def test_missing_config_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRONZOEKER_CONFIG", raising=False)
    with pytest.raises(ConfigError, match="no config file"):
        resolve_config_path(None)
    with pytest.raises(ConfigError, match="not found"):
        resolve_config_path(tmp_path / "absent.toml")


def test_data_dir_option_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRONZOEKER_DATA", "/tmp/from-env")
    assert resolve_data_dir("/tmp/option") == Path("/tmp/option")
    assert resolve_data_dir(None) == Path("/tmp/from-env")
    monkeypatch.delenv("BRONZOEKER_DATA")
    assert resolve_data_dir(None) == Path("data")
