"""Typed settings: one strict read of the sources file and the environment at start-up.

Every case runs the real ``indexer`` command (click's CliRunner) over a real TOML file; a
mistake stops the command with one Dutch line naming the file, the key and the nearest
known key, exit 2, before any request reaches the (real, local) server.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.config import load_config
from indexer.extract.pdf import ENGINES
from indexer.federation import federation_from_config
from indexer.settings import SECTIONS, Misconfigured, build, flat_keys
from indexer.settings.sections import PDF_ENGINES
from tests.replay_server import ReplayServer

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [*sorted((ROOT / "corpus").glob("*.toml")), ROOT / "tests" / "fixtures" / "bulk-sample" / "sources.toml"]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout + result.stderr


def sru_config(tmp_path: Path, server: ReplayServer, settings: str = "", source: str = "",
               rest: str = "") -> Path:
    """A crawlable SRU source on the replay server, with the given extra lines."""
    path = tmp_path / "demo.toml"
    path.write_text(f"[settings]\ndelay = 0.0\n{settings}\n\n[[source]]\nname = \"kamerstukken\"\nkind = \"sru\"\n"
                    f"endpoint = \"{server.url('/sru')}\"\nquery = \"w.dossiernummer==32824\"\n{source}\n{rest}",
                    encoding="utf-8")
    return path


def stops_before_any_request(tmp_path: Path, expected: str, **lines: str) -> None:
    with ReplayServer("sru") as server:
        config = sru_config(tmp_path, server, **lines)
        code, out = run("crawl", "--config", str(config), "--data-dir", str(tmp_path / "data"))
        assert server.hits == [], "nothing may be asked before the configuration is right"
    errors = [line for line in out.splitlines() if line.startswith("fout: ")]
    assert code == 2 and len(errors) == 1 and "Traceback" not in out, out
    assert errors[0] == f"fout: {expected.format(file=config)}", errors[0]


def test_a_typo_in_settings_names_the_file_the_key_and_the_suggestion(tmp_path: Path) -> None:
    stops_before_any_request(tmp_path, "onbekende instelling 'dealy' in {file} — bedoelde u 'delay'?",
                             settings="dealy = 5")
    stops_before_any_request(tmp_path, "onbekende instelling 'max_retrys' in {file} — bedoelde u 'max_retries'?",
                             settings="max_retrys = 9")


def test_a_typo_in_a_source_option(tmp_path: Path) -> None:
    stops_before_any_request(
        tmp_path, "onbekende optie 'maximum_record' van bron 'kamerstukken' (sru) in {file} "
                  "— bedoelde u 'maximum_records'?", source="maximum_record = 10")


def test_a_typo_in_the_federation_table(tmp_path: Path) -> None:
    stops_before_any_request(tmp_path, "onbekende instelling [federation] 'dedline' in {file} "
                                       "— bedoelde u 'deadline'?", rest="[federation]\ndedline = 4.0\n")
    stops_before_any_request(tmp_path, "onbekende instelling 'federation_dedline' in {file} "
                                       "— bedoelde u 'federation_deadline'?", settings="federation_dedline = 4.0")


def test_a_value_of_the_wrong_type(tmp_path: Path) -> None:
    stops_before_any_request(tmp_path, "instelling 'timeout' in {file} moet een getal zijn, niet '30'",
                             settings='timeout = "30"')
    stops_before_any_request(tmp_path, "optie 'maximum_records' van bron 'kamerstukken' (sru) in {file} "
                                       "moet een geheel getal zijn, niet 'veel'", source='maximum_records = "veel"')


def test_a_bool_given_as_no_is_refused_not_counted_as_true(tmp_path: Path) -> None:
    stops_before_any_request(tmp_path, "instelling 'obey_robots' in {file} moet true of false zijn, niet 'no'",
                             settings='obey_robots = "no"')


def test_unknown_kinds_tables_and_missing_options(tmp_path: Path) -> None:
    stops_before_any_request(tmp_path, "onbekende tabel 'sources' in {file} — bedoelde u 'source'?",
                             rest='[[sources]]\nname = "x"\n')
    stops_before_any_request(tmp_path, "onbekende soort 'foldr' van bron 'map' in {file} — bedoelde u 'folder'?",
                             rest='[[source]]\nname = "map"\nkind = "foldr"\npath = "."\n')
    stops_before_any_request(tmp_path, "bron 'map' (folder) in {file} mist de verplichte optie 'path'",
                             rest='[[source]]\nname = "map"\nkind = "folder"\n')
    stops_before_any_request(tmp_path, "optie 'documents' van bron 'map' (website) in {file} is geen geldige "
                                       "reguliere expressie (missing ), unterminated subpattern at position 0): "
                                       "'(pdf'", rest='[[source]]\nname = "map"\nkind = "website"\n'
                                                      'seeds = ["http://127.0.0.1:9/"]\ndocuments = "(pdf"\n')


def test_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    config = tmp_path / "s.toml"
    config.write_text("[settings]\ndelay = 2.5\nfederation_deadline = 4.0\npdf_engine = \"pypdf\"\n")
    code, out = run("config", "check", "--config", str(config),
                    env={"BRONZOEKER_DELAY": "0.25", "BRONZOEKER_PDF_ENGINE": "pypdfium2", "BRONZOEKER_NO_OCR": "ja"})
    assert code == 0, out
    assert re.search(r"^delay = 0\.25  # .*BRONZOEKER_DELAY$", out, re.M), out
    assert re.search(r'^pdf_engine = "pypdfium2"  #', out, re.M) and re.search(r"^no_ocr = true  #", out, re.M)
    assert re.search(r"^federation_deadline = 4\.0  #", out, re.M)  # from the file: nothing overrides it
    settings = load_config(config, env={"BRONZOEKER_DELAY": "0.25"}).settings
    assert settings.politeness.delay == 0.25 and load_config(config, env={}).settings.politeness.delay == 2.5
    code, out = run("config", "check", "--config", str(config), env={"BRONZOEKER_NO_OCR": "misschien"})
    assert code == 2 and "fout: omgevingsvariabele BRONZOEKER_NO_OCR moet 1 of 0 (ja of nee) zijn" in out, out


def test_a_bad_remote_option_is_reported_by_config_check(tmp_path: Path) -> None:
    config = tmp_path / "s.toml"
    config.write_text('[[remote]]\nname = "overheid"\nkind = "sru"\nurl = "https://repository.overheid.nl/sru"\n'
                      'cql_filtr = "c.product-area==officielepublicaties"\n')
    problems = federation_from_config(load_config(config)).problems
    assert [p.reason for p in problems] == ["onbekende optie 'cql_filtr' van [[remote]] 'overheid' (sru) "
                                            "— bedoelde u 'cql_filter'?"]
    code, out = run("config", "check", "--config", str(config))
    assert code == 2 and "fout: [[remote]] overheid: onbekende optie 'cql_filtr'" in out, out


def toml_examples(path: Path) -> list[str]:
    return re.findall(r"```toml\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("config", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_config_still_loads(config: Path) -> None:
    code, out = run("config", "check", "--config", str(config))
    assert code == 0, out
    assert load_config(config).sources


@pytest.mark.parametrize("doc", [d for d in DOCS if toml_examples(d)], ids=lambda p: p.name)
def test_every_toml_example_in_the_docs_loads(doc: Path, tmp_path: Path) -> None:
    for number, example in enumerate(toml_examples(doc)):
        config = tmp_path / f"example-{number}.toml"
        config.write_text(example, encoding="utf-8")
        loaded = load_config(config)
        assert not federation_from_config(loaded).problems, (doc.name, example)


def test_every_setting_has_a_help_text_and_one_key() -> None:
    keys = flat_keys()
    assert len(keys) == sum(len(cls.__dataclass_fields__) for cls in SECTIONS.values())
    code, out = run("config", "check", "--config", str(SHIPPED[0]))
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    assert {line.split(" = ")[0] for line in lines} == set(keys)
    assert all(re.search(r"  # \S", line) for line in lines), lines


def test_the_pdf_engine_choices_are_the_engines_extraction_knows() -> None:
    assert set(PDF_ENGINES) == {"", *ENGINES}  # '' is the automatic choice
    assert build({"pdf_engine": "pypdfium2"}).extraction.pdf_engine == "pypdfium2"
    assert build({}).extraction.pdf_engine == ""
    with pytest.raises(Misconfigured, match="'pdf_engine' moet een van '', 'pypdfium2', 'pypdf' zijn, niet 'pdfminer'"):
        build({"pdf_engine": "pdfminer"})


def test_the_operations_doc_lists_every_setting() -> None:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    missing = [key for key in flat_keys() if f"| `{key}` |" not in text]
    assert not missing, missing
