"""robots.txt: parsing (RFC 9309 longest-match rules, ``Crawl-delay``, ``Sitemap``) and a
per-host cache.

The stdlib ``urllib.robotparser`` applies the first matching rule and only accepts
whole-second crawl delays; RFC 9309 asks for the longest match (``Allow`` wins a tie)
and sites write ``Crawl-delay: 0.5``, so the rules are parsed here. Fetching the file
is the client's job: :class:`RobotsCache` is handed a loader callable.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit


@dataclass
class RuleGroup:
    """The rules of one ``User-agent`` group."""

    agents: list[str] = field(default_factory=list)
    rules: list[tuple[bool, str]] = field(default_factory=list)  # (allow, pattern)
    crawl_delay: float | None = None


@dataclass
class RobotsRules:
    """The parsed file; ``allow_all``/``deny_all`` stand for a missing or unreachable file."""

    groups: list[RuleGroup] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    deny_all: bool = False
    unreachable: str = ""  # why robots.txt could not be read (then deny_all): the host, not a rule

    def group_for(self, agent: str) -> RuleGroup | None:
        """The group whose product token occurs in our agent token, else the ``*`` group."""
        token = agent.split("/")[0].lower()
        best: RuleGroup | None = None
        for group in self.groups:
            for name in group.agents:
                if name != "*" and name in token:
                    return group
                if name == "*" and best is None:
                    best = group
        return best

    def allowed(self, agent: str, url: str) -> bool:
        if self.deny_all:
            return False
        group = self.group_for(agent)
        if group is None:
            return True
        path = _path_of(url)
        if path == "/robots.txt":
            return True
        return _decide(group.rules, path)

    def crawl_delay(self, agent: str) -> float | None:
        group = self.group_for(agent)
        return group.crawl_delay if group else None


def parse_robots(text: str) -> RobotsRules:
    """Parse robots.txt text; unknown lines are ignored as the RFC requires."""
    rules = RobotsRules()
    group: RuleGroup | None = None
    in_agent_lines = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, value = (part.strip() for part in line.split(":", 1))
        key = key.lower()
        if key == "user-agent":
            if group is None or not in_agent_lines:
                group = RuleGroup()
                rules.groups.append(group)
            group.agents.append(value.lower())
            in_agent_lines = True
            continue
        in_agent_lines = False
        if key == "sitemap":
            rules.sitemaps.append(value)
        elif group is not None:
            _add_rule(group, key, value)
    return rules


def _add_rule(group: RuleGroup, key: str, value: str) -> None:
    if key in ("allow", "disallow") and value:
        group.rules.append((key == "allow", value))
    elif key == "crawl-delay":
        try:
            group.crawl_delay = max(0.0, float(value))
        except ValueError:
            pass


def _decide(rules: list[tuple[bool, str]], path: str) -> bool:
    """Longest matching pattern wins; on equal length ``Allow`` wins (RFC 9309 2.2.2)."""
    best_len, verdict = -1, True
    for allow, pattern in rules:
        if _matches(pattern, path):
            length = len(pattern)
            if length > best_len or (length == best_len and allow):
                best_len, verdict = length, allow
    return verdict


def _matches(pattern: str, path: str) -> bool:
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(unquote(part)) for part in body.split("*"))
    return re.match(regex + ("$" if anchored else ""), path) is not None


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    path = unquote(parts.path) or "/"
    return path + ("?" + parts.query if parts.query else "")


#: A loader returns (HTTP status, body text) for a robots.txt URL, or raises OSError.
RobotsLoader = Callable[[str], tuple[int, str]]


class RobotsCache:
    """One parsed robots.txt per origin, loaded on first use and kept for the run."""

    def __init__(self, loader: RobotsLoader) -> None:
        self._loader = loader
        self._rules: dict[str, RobotsRules] = {}
        self._lock = threading.Lock()

    def rules_for(self, url: str) -> RobotsRules:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            if origin not in self._rules:
                self._rules[origin] = self._load(origin + "/robots.txt")
            return self._rules[origin]

    def _load(self, robots_url: str) -> RobotsRules:
        """RFC 9309 2.3.1: 4xx means no rules; 5xx or unreachable means disallow all."""
        try:
            status, text = self._loader(robots_url)
        except OSError as exc:
            return RobotsRules(deny_all=True, unreachable=str(exc) or type(exc).__name__)
        if 200 <= status < 300:
            return parse_robots(text)
        if 400 <= status < 500:
            return RobotsRules()
        return RobotsRules(deny_all=True, unreachable=f"HTTP {status}")
