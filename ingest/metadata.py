"""Document-level metadata: doc_type (config rules first, content heuristics second), title,
effective date and version where the text states them."""

from __future__ import annotations

import re
from fnmatch import fnmatch
from pathlib import PurePosixPath

from assistant.config import Settings, SourceRule

_DATE = r"(?:[A-Z][a-z]+\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2}(?:st|nd|rd|th)? (?:day of )?[A-Z][a-z]+,? \d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})"
_EFFECTIVE = re.compile(
    rf"(?:effective\s+(?:as\s+of|from|on)\s*:?\s*|effective\s+date\s*(?:\(.{{0,30}}\))?\s*(?:is|of|:|shall be)?\s*)(?P<date>{_DATE})",
    re.IGNORECASE,
)
_VERSION = re.compile(r"\b(?:version|rev(?:ision)?\.?|v)\s*(?P<v>\d+(?:\.\d+){0,2})\b", re.IGNORECASE)

# Ordered: the first matching cue wins, so the specific types come before "contract".
_CONTENT_CUES: list[tuple[str, re.Pattern]] = [
    ("dpa", re.compile(r"data processing (?:addendum|agreement)|\bDPA\b", re.I)),
    ("sow", re.compile(r"statement of work|\bSOW\b|work order|performance work statement", re.I)),
    ("msa", re.compile(r"master (?:services?|subscription|professional services) agreement|\bMSA\b", re.I)),
    ("contract", re.compile(r"\bagreement\b|\bthe parties\b|\bhereinafter\b|\bwitnesseth\b|\bin witness whereof\b", re.I)),
    ("sop", re.compile(r"standard operating procedure|\bSOP\b", re.I)),
    ("runbook", re.compile(r"runbook|playbook|incident|on-call|alert|escalat|troubleshoot|procedure", re.I)),
]
_NAME_CUES: list[tuple[str, re.Pattern]] = [
    ("dpa", re.compile(r"(?:^|[^a-z])(dpa|data[-_ ]processing)", re.I)),
    ("sow", re.compile(r"(?:^|[^a-z])(sow|statement[-_ ]of[-_ ]work|pws)(?:[^a-z]|$)", re.I)),
    ("msa", re.compile(r"(?:^|[^a-z])(msa|master[-_ ]services?)", re.I)),
    ("sop", re.compile(r"(?:^|[^a-z])sop(?:[^a-z]|$)", re.I)),
    ("runbook", re.compile(r"runbook|playbook", re.I)),
    ("contract", re.compile(r"agreement|contract|addendum|terms", re.I)),
]


def glob_match(rel_path: str, pattern: str) -> bool:
    """Glob on a relative POSIX path where '**' spans folders ('contracts/**' matches nested files)."""
    path = PurePosixPath(rel_path)
    if pattern.endswith("/**"):
        prefix = pattern[:-3]
        return rel_path == prefix or rel_path.startswith(prefix + "/") or fnmatch(rel_path, pattern)
    if path.full_match(pattern) if hasattr(path, "full_match") else False:
        return True
    return fnmatch(rel_path, pattern) or fnmatch(rel_path, pattern.replace("**/", ""))


def source_rule(settings: Settings, rel_path: str) -> SourceRule | None:
    return next((r for r in settings.sources if glob_match(rel_path, r.match)), None)


def detect_doc_type(settings: Settings, rel_path: str, text: str, rule: SourceRule | None) -> str:
    if rule is not None and rule.doc_type:
        return rule.doc_type
    for dt_rule in settings.doc_types:
        if glob_match(rel_path, dt_rule.match):
            return dt_rule.doc_type
    name = PurePosixPath(rel_path).name
    for doc_type, cue in _NAME_CUES:
        if cue.search(name):
            return doc_type
    head = text[:4000]
    for doc_type, cue in _CONTENT_CUES:
        if cue.search(head):
            return doc_type
    return "other"


def effective_date(text: str) -> str:
    m = _EFFECTIVE.search(text[:20000])
    return m.group("date") if m else ""


def version(text: str) -> str:
    m = _VERSION.search(text[:3000])
    return m.group("v") if m else ""


def title_for(parsed_title: str | None, rel_path: str) -> str:
    """The document's own title, else one made from its file name the way MkDocs does: separators
    become spaces and an all-lower-case name gets a capital ("anti_patterns.md" -> "Anti patterns",
    which every citation shows as "According to Anti patterns"); a name with capitals is kept."""
    if parsed_title and parsed_title.strip():
        return " ".join(parsed_title.split())[:200]
    name = re.sub(r"[-_]+", " ", PurePosixPath(rel_path).stem).strip()
    if name == name.lower():
        name = name[:1].upper() + name[1:]
    return name or rel_path
