"""The settings tree: every setting of a run, declared once with its type, default, Dutch
help text and environment override (``BRONZOEKER_<KEY>``), grouped in sections.

=================  =============================================  ============================
section            what                                           read by
=================  =============================================  ============================
``fetch``          timeouts, size caps, redirects, robots, agent  ``indexer.fetch``
``politeness``     delays, retries, back-off per host             ``indexer.fetch.politeness``
``crawl``          index batches, rechecking gone URLs            ``indexer.pipeline``
``extraction``     time and memory per document, PDF engine, OCR  ``indexer.extract``
``fleet``          the shared catalogue, leases, crawl interval   ``indexer.catalogue``
``federation``     deadline and fusion of a federated query       ``indexer.federation``
``query``          the work one query may cost                    ``indexer.index.limits``
``serve``          public address, exports at once, cookie key    ``search_ui``
``mail``           SMTP server of saved-search e-mails            ``indexer.alerts``
=================  =============================================  ============================

In the sources file every field is a key of ``[settings]`` (federation's with the prefix
``federation_``: ``federation_deadline``), or a key of its section's own table
(``[federation]`` ``deadline = 4.0``); mail's with the prefix ``smtp_`` (``smtp_host``). The environment wins over the file. Everything is
read once, at start-up (:func:`build`); modules receive the section they need.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from indexer.settings.fields import (
    Misconfigured,
    Option,
    SettingError,
    Spec,
    check_options,
    declared,
    default_of,
    env_name,
    read_env,
    read_value,
    spec_of,
    unknown,
)
from indexer.settings.sections import (
    CrawlSettings,
    ExtractionSettings,
    FederationSettings,
    FetchSettings,
    FleetSettings,
    MailSettings,
    PolitenessSettings,
    QuerySettings,
    ServeSettings,
)


@dataclass(frozen=True)
class Settings:
    """The whole tree; ``Settings()`` is every default."""

    fetch: FetchSettings = field(default_factory=FetchSettings)
    politeness: PolitenessSettings = field(default_factory=PolitenessSettings)
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    extraction: ExtractionSettings = field(default_factory=ExtractionSettings)
    fleet: FleetSettings = field(default_factory=FleetSettings)
    federation: FederationSettings = field(default_factory=FederationSettings)
    query: QuerySettings = field(default_factory=QuerySettings)
    serve: ServeSettings = field(default_factory=ServeSettings)
    mail: MailSettings = field(default_factory=MailSettings)


#: every default: what a module uses when its caller passes no settings
DEFAULTS = Settings()

#: section name -> its class (the fields of :class:`Settings`, in order)
SECTIONS: dict[str, type] = {
    "fetch": FetchSettings, "politeness": PolitenessSettings, "crawl": CrawlSettings,
    "extraction": ExtractionSettings, "fleet": FleetSettings, "federation": FederationSettings, "query": QuerySettings,
    "serve": ServeSettings, "mail": MailSettings,
}
#: section name -> the prefix of its fields' keys in ``[settings]`` and the environment
FLAT_PREFIX: dict[str, str] = {section: "" for section in SECTIONS} | {"federation": "federation_", "mail": "smtp_"}


def flat_keys() -> dict[str, tuple[str, str]]:
    """``[settings]`` key -> (section, field name), e.g. ``federation_deadline`` -> (federation, deadline)."""
    return {FLAT_PREFIX[section] + name: (section, name)
            for section, cls in SECTIONS.items() for name in declared(cls)}


def build(flat: Mapping[str, Any], tables: Mapping[str, Mapping[str, Any]] | None = None,
          env: Mapping[str, str] | None = None) -> Settings:
    """The tree from ``[settings]`` (``flat``), section tables and the environment (which
    wins); :class:`Misconfigured` names the first unknown key or bad value."""
    keys = flat_keys()
    given: dict[str, dict[str, tuple[str, Any]]] = {section: {} for section in SECTIONS}
    for key, value in flat.items():
        if key not in keys:
            raise Misconfigured(*unknown("instelling", key, keys))
        section, name = keys[key]
        given[section][name] = (key, value)
    for section, table in (tables or {}).items():
        for name, value in table.items():
            if name not in declared(SECTIONS[section]):
                raise Misconfigured(*unknown(f"instelling [{section}]", name, declared(SECTIONS[section])))
            given[section][name] = (f"[{section}] {name}", value)
    built = {section: _section(cls, given[section], FLAT_PREFIX[section], env or {})
             for section, cls in SECTIONS.items()}
    return Settings(**built)


def _section(cls: type, given: Mapping[str, tuple[str, Any]], prefix: str, env: Mapping[str, str]) -> Any:
    values: dict[str, Any] = {}
    for name, (item, kind) in declared(cls).items():
        spec = spec_of(item)
        variable = env_name(prefix + name)
        if spec.env and variable in env:
            values[name] = _read(read_env, env[variable], kind, spec, f"omgevingsvariabele {variable}")
        elif name in given:
            key, value = given[name]
            values[name] = _read(read_value, value, kind, spec, f"instelling {key!r}")
    return cls(**values)


def _read(reader: Callable[[Any, Any, Spec], Any], value: Any, kind: Any, spec: Spec, subject: str) -> Any:
    try:
        return reader(value, kind, spec)
    except SettingError as exc:
        raise Misconfigured(subject, f" {exc}", in_file=reader is not read_env) from None


def describe(settings: Settings) -> Iterator[str]:
    """The effective settings as ``key = value  # help (BRONZOEKER_KEY)`` lines, per section."""
    for section, cls in SECTIONS.items():
        yield f"# {section}"
        current = getattr(settings, section)
        for name, (item, _kind) in declared(cls).items():
            spec, key = spec_of(item), FLAT_PREFIX[section] + name
            value = getattr(current, name)
            shown = "(verborgen)" if name == "secret_key" and value else _toml(value)
            marker = "" if value == default_of(item) else " (aangepast)"
            env = f", {env_name(key)}" if spec.env else ""
            yield f"{key} = {shown}  # {spec.help}{marker}{env}"


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k!r} = {v!r}" for k, v in value.items()) + " }" if value else "{}"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


__all__ = [
    "DEFAULTS", "FLAT_PREFIX", "SECTIONS", "CrawlSettings", "ExtractionSettings", "FederationSettings", "FetchSettings",
    "FleetSettings", "MailSettings", "Misconfigured", "Option", "PolitenessSettings", "QuerySettings", "ServeSettings", "SettingError", "Settings", "build",
    "check_options", "describe", "flat_keys",
]
