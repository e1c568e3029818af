"""How a setting is declared and read: one :func:`setting` per field (type, default, Dutch
help text, environment variable) and the strict parsing of values from TOML and from the
environment. Standard library only, so every module may import it.

Strict means: a TOML boolean is ``true``/``false`` (never the string ``"no"``, which Python
would count as true), a number is a number, a choice is one of its choices, and an unknown
name is an error that suggests the nearest known one (:func:`unknown`).
"""

from __future__ import annotations

import difflib
import os
import re
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import MISSING, Field, dataclass, field, fields
from typing import Any, Callable

ENV_PREFIX = "BRONZOEKER_"
#: environment words for a boolean, Dutch and English
TRUE_WORDS = frozenset({"1", "true", "ja", "yes", "on", "aan"})
FALSE_WORDS = frozenset({"0", "false", "nee", "no", "off", "uit", ""})


class SettingError(ValueError):
    """A value or a name is wrong; the message is a Dutch sentence without the file name."""


class Misconfigured(SettingError):
    """A named setting is wrong: ``subject`` names it, ``reason`` says why (Dutch)."""

    def __init__(self, subject: str, reason: str, in_file: bool = True) -> None:
        self.subject, self.reason, self.in_file = subject, reason, in_file
        super().__init__(f"{subject}{reason}")

    def located(self, where: str) -> str:
        """The one-line message with the file named after the setting (when it is in one)."""
        return f"{self.subject} in {where}{self.reason}" if self.in_file else str(self)


@dataclass(frozen=True)
class Spec:
    """What is known about one setting besides its name, type and default."""

    help: str
    env: bool = True  # may the environment override it (BRONZOEKER_<FLAT KEY>)
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


def setting(default: Any, help: str, *, env: bool = True, choices: tuple[str, ...] = (),
            minimum: float | None = None, maximum: float | None = None) -> Any:
    """A dataclass field with its :class:`Spec`; a dict default becomes a factory."""
    spec = Spec(help, env, choices, minimum, maximum)
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata={"setting": spec})
    return field(default=default, metadata={"setting": spec})


def spec_of(item: Field[Any]) -> Spec:
    return item.metadata.get("setting") or Spec(help="")


def default_of(item: Field[Any]) -> Any:
    return item.default_factory() if item.default_factory is not MISSING else item.default


def declared(section: type) -> dict[str, tuple[Field[Any], type]]:
    """field name -> (field, its type) of a settings dataclass."""
    hints = typing.get_type_hints(section)
    return {item.name: (item, hints[item.name]) for item in fields(section)}


def env_name(flat_key: str) -> str:
    return ENV_PREFIX + flat_key.upper()


def unknown(what: str, name: str, known: Iterable[str]) -> tuple[str, str]:
    """(``onbekende instelling 'dealy'``, `` — bedoelde u 'delay'?``): the subject and the
    suggestion (the known names when none is close), so the caller can name the file between."""
    known = sorted(known)
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" — bedoelde u {close[0]!r}?" if close else f" (bekend: {', '.join(known)})"
    return f"onbekende {what} {name!r}", hint


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise SettingError(f"moet true of false zijn, niet {value!r}")


def _as_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise SettingError(f"moet een geheel getal zijn, niet {value!r}")


def _as_float(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    raise SettingError(f"moet een getal zijn, niet {value!r}")


def _as_str(value: Any) -> str:
    if isinstance(value, str):
        return value
    raise SettingError(f"moet tekst zijn (tussen aanhalingstekens), niet {value!r}")


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise SettingError(f"moet een lijst van teksten zijn, niet {value!r}")


def _as_regex(value: Any) -> str:
    text = _as_str(value)
    try:
        re.compile(text)
    except re.error as exc:
        raise SettingError(f"is geen geldige reguliere expressie ({exc}): {text!r}") from None
    return text


def _as_number_table(value: Any) -> dict[str, float]:
    if isinstance(value, Mapping):
        return {str(k): _as_float(v) for k, v in value.items()}
    raise SettingError(f"moet een tabel van namen en getallen zijn, niet {value!r}")


def _as_table(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    raise SettingError(f"moet een tabel zijn, niet {value!r}")


REGEX = "regex"  # an option kind: a string that must compile as a Python regex

#: declared type -> the strict reader of a TOML value
READERS: dict[Any, Callable[[Any], Any]] = {
    REGEX: _as_regex, bool: _as_bool, int: _as_int, float: _as_float, str: _as_str, list[str]: _as_list,
    dict[str, float]: _as_number_table, dict[str, Any]: _as_table,
}


def _env_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise SettingError(f"moet 1 of 0 (ja of nee) zijn, niet {text!r}")


def _env_number(cast: Callable[[str], Any], what: str) -> Callable[[str], Any]:
    def read(text: str) -> Any:
        try:
            return cast(text.strip())
        except ValueError:
            raise SettingError(f"moet {what} zijn, niet {text!r}") from None
    return read


#: declared type -> the reader of an environment variable's text
ENV_READERS: dict[Any, Callable[[str], Any]] = {
    bool: _env_bool, int: _env_number(int, "een geheel getal"), float: _env_number(float, "een getal"),
    str: str,
}


def check(value: Any, spec: Spec) -> Any:
    """The bounds and choices of a value already of the right type."""
    if spec.choices and value not in spec.choices:
        raise SettingError(f"moet een van {', '.join(map(repr, spec.choices))} zijn, niet {value!r}")
    if spec.minimum is not None and value < spec.minimum:
        raise SettingError(f"moet minstens {spec.minimum:g} zijn, niet {value!r}")
    if spec.maximum is not None and value > spec.maximum:
        raise SettingError(f"mag hoogstens {spec.maximum:g} zijn, niet {value!r}")
    return value


def read_value(value: Any, kind: Any, spec: Spec) -> Any:
    return check(READERS[kind](value), spec)


def read_env(text: str, kind: Any, spec: Spec) -> Any:
    return check(ENV_READERS[kind](text), spec)


def environment() -> Mapping[str, str]:
    """The process environment, read here and nowhere else in the settings."""
    return os.environ


@dataclass(frozen=True)
class Option:
    """One option of a source or remote kind, declared next to its connector."""

    name: str
    kind: Any  # a key of READERS: str, int, bool, list[str], dict[str, Any], REGEX
    default: Any = None  # None: absent unless given
    required: bool = False
    help: str = ""
    minimum: float | None = None
    choices: tuple[str, ...] = ()


def check_options(schema: Sequence[Option], options: Mapping[str, Any], owner: str) -> dict[str, Any]:
    """``options`` read strictly against ``schema``, defaults filled in; :class:`Misconfigured`
    for an unknown name (with a suggestion), a missing required option or a bad value.
    ``owner`` names whose options they are (``bron 'wodc' (oai_pmh)``)."""
    known = {option.name: option for option in schema}
    for name in options:
        if name not in known:
            subject, hint = unknown("optie", name, known)
            raise Misconfigured(f"{subject} van {owner}", hint)
    checked: dict[str, Any] = {}
    for option in schema:
        if option.name in options:
            spec = Spec(option.help, choices=option.choices, minimum=option.minimum)
            try:
                checked[option.name] = read_value(options[option.name], option.kind, spec)
            except SettingError as exc:
                raise Misconfigured(f"optie {option.name!r} van {owner}", f" {exc}") from None
        elif option.required:
            raise Misconfigured(owner, f" mist de verplichte optie {option.name!r}")
        elif option.default is not None:
            checked[option.name] = option.default
    return checked
