"""The clause taxonomy (taxonomy.yaml) as typed objects, with case-insensitive name resolution."""

from __future__ import annotations

import difflib
import re
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.errors import InvalidInput

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.yaml")
CALIBRATION_PATH = Path(__file__).with_name("calibration.yaml")


def _weighted(items: list) -> list[tuple[str, float]]:
    out = []
    for item in items or []:
        if isinstance(item, (list, tuple)):
            out.append((str(item[0]), float(item[1]) if len(item) > 1 else 1.0))
        else:
            out.append((str(item), 1.0))
    return out


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    name: str
    source: Literal["cuad", "bpo"]
    description: str
    query: str = ""
    aliases: list[str] = Field(default_factory=list)
    position: Literal["any", "preamble"] = "any"
    cues: list[tuple[str, float]] = Field(default_factory=list)
    heading_cues: list[tuple[str, float]] = Field(default_factory=list)

    @field_validator("cues", "heading_cues", mode="before")
    @classmethod
    def _coerce(cls, value):
        return _weighted(value)

    @cached_property
    def cue_patterns(self) -> list[tuple[re.Pattern, float]]:
        return [(re.compile(p), w) for p, w in self.cues]

    @cached_property
    def heading_patterns(self) -> list[tuple[re.Pattern, float]]:
        return [(re.compile(p), w) for p, w in self.heading_cues]

    @property
    def search_query(self) -> str:
        return self.query or f"{self.name}. {self.description}"


FEATURES = ("cue", "heading", "preamble", "first", "dense")  # order of the weights in calibration.yaml


class Params(BaseModel):
    """Logistic-model parameters: bias then one weight per feature (lexical: without `dense`)."""

    model_config = ConfigDict(extra="forbid")
    lexical: list[float]
    vectors: list[float]


class Calibration(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    fitted_on: str = ""
    dense_center: float = 0.3
    store_threshold: float = 0.5  # clause types scored at least this are stored on the chunk
    found_threshold: float = 0.2  # below this best score, lookup answers "not found"
    shared: Params  # for categories without gold labels (the BPO ones)
    categories: dict[str, Params] = Field(default_factory=dict)
    metrics: dict = Field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> "Calibration":
        data = yaml.safe_load((path or CALIBRATION_PATH).read_text(encoding="utf-8"))
        return cls.model_validate(data)

    def params(self, category: str) -> Params:
        return self.categories.get(category, self.shared)


class Taxonomy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str
    categories: list[Category]

    @classmethod
    def load(cls, path: Path | None = None) -> "Taxonomy":
        data = yaml.safe_load((path or TAXONOMY_PATH).read_text(encoding="utf-8"))
        return cls.model_validate(data)

    @cached_property
    def _by_key(self) -> dict[str, Category]:
        index: dict[str, Category] = {}
        for cat in self.categories:
            for name in [cat.name, *cat.aliases]:
                index.setdefault(_key(name), cat)
        return index

    def get(self, name: str) -> Category | None:
        return self._by_key.get(_key(name))

    def resolve(self, name: str) -> Category:
        """The category for a user-typed name (case/punctuation-insensitive, aliases allowed)."""
        cat = self.get(name or "")
        if cat is not None:
            return cat
        raise InvalidInput(f"unknown clause type {name!r}; close matches: {', '.join(self.close_matches(name)) or 'none'}")

    def close_matches(self, name: str, n: int = 5) -> list[str]:
        names = {c.name for c in self.categories}
        keys = {_key(a): c.name for c in self.categories for a in [c.name, *c.aliases]}
        found = difflib.get_close_matches(_key(name or ""), list(keys), n=n * 2, cutoff=0.5)
        out: list[str] = []
        for k in found:
            if keys[k] not in out:
                out.append(keys[k])
        words = set(_key(name or "").split())
        for cat_name in sorted(names):
            if len(out) >= n:
                break
            if words & set(_key(cat_name).split()) - {"of", "and", "for", "on", "to"} and cat_name not in out:
                out.append(cat_name)
        return out[:n]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.categories]


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (name or "").lower()).split())
