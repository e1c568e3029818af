"""The fixed interface every source connector implements.

A connector does no I/O: ``start`` builds the first requests from its options and
the stored protocol cursor, ``parse`` turns a fetched response into more requests,
records, a new cursor or failures. The fetcher (``indexer.fetch``) owns the network
and the file system, so connectors are tested on bytes alone.
"""

from __future__ import annotations

from typing import Any, ClassVar, Iterable, Mapping

from indexer.model import Cursor, Failure, Record, Request, Response
from indexer.settings.fields import Misconfigured, Option, check_options

Item = Request | Record | Cursor | Failure


class SourceConfigError(ValueError):
    """A source's options are missing or wrong; ``problem`` names the option for a located message."""

    def __init__(self, message: str, problem: Misconfigured | None = None) -> None:
        super().__init__(message)
        self.problem = problem


#: options every kind takes (the pipeline reads ``sweep``, :meth:`Source.with_defaults` ``defaults``,
#: the UI's Bron facet ``label``)
COMMON_OPTIONS = (
    Option("label", str, help="naam van de uitgever of collectie in het Bron-filter (Tweede Kamer, WODC, ...)"),
    Option("defaults", dict[str, Any], help="metadata voor wat het protocol niet zegt (category, creators, ...)"),
    Option("sweep", bool, help="documenten die niet meer bereikt worden verwijderen"),
)


class Source:
    """Base class: subclasses set ``kind`` and ``OPTIONS`` and implement ``start`` and ``parse``."""

    kind: ClassVar[str] = ""
    #: the kind's own options (name, type, default, required); unknown ones are an error
    OPTIONS: ClassVar[tuple[Option, ...]] = ()

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.options = self.checked_options(name, options)

    @classmethod
    def checked_options(cls, name: str, options: Mapping[str, Any]) -> dict[str, Any]:
        """The options read against the schema, defaults filled in, or :class:`SourceConfigError`."""
        try:
            return check_options((*COMMON_OPTIONS, *cls.OPTIONS), options, f"bron {name!r} ({cls.kind})")
        except Misconfigured as exc:
            raise SourceConfigError(str(exc), exc) from None

    def start(self, cursor: str | None = None) -> Iterable[Request]:
        raise NotImplementedError

    def parse(self, response: Response) -> Iterable[Item]:
        raise NotImplementedError

    def with_defaults(self, metadata: Mapping[str, Any]) -> dict[str, Any]:
        """``metadata`` over the source's ``defaults`` option: what the protocol says about a
        record wins; ``defaults`` (a category, a creator) fill what it leaves out."""
        defaults = self.options.get("defaults") or {}  # a table: checked against COMMON_OPTIONS
        return {**defaults, **{k: v for k, v in metadata.items() if v not in (None, "", [], ())}}

    def require(self, key: str) -> Any:
        """An option that must be present, or a clear configuration error."""
        if key not in self.options:
            raise SourceConfigError(f"source {self.name!r} ({self.kind}) needs option {key!r}")
        return self.options[key]
