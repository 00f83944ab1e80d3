"""BPO_API_KEYS parsing and key resolution (no server needed)."""

from __future__ import annotations

import pytest

from assistant.config import ConfigError
from assistant.surfaces.http.deps import KeyRing, parse_api_keys


def test_keys_map_to_one_or_several_roles():
    ring = KeyRing(parse_api_keys(" k1:admin , k2:legal+bpo_agent,,"))
    assert ring.resolve("k1").roles == {"admin"}
    assert ring.resolve("k2").roles == {"legal", "bpo_agent"}
    assert ring.resolve("k3") is None
    assert ring.resolve("") is None


def test_a_key_may_contain_colons_the_last_one_separates_the_roles():
    ring = KeyRing(parse_api_keys("abc:def:legal"))
    assert ring.resolve("abc:def").roles == {"legal"}


def test_labels_are_hash_prefixes_never_the_key():
    key = parse_api_keys("supersecretkey123:admin")[0]
    assert key.label.startswith("key-") and "supersecret" not in key.label
    assert key.label == parse_api_keys("supersecretkey123:legal")[0].label  # stable across restarts


@pytest.mark.parametrize("raw", ["justakey", "k1:", ":admin", "k1:+", "k1:admin,k1:legal"])
def test_malformed_entries_are_refused_without_quoting_the_key(raw):
    with pytest.raises(ConfigError) as exc:
        parse_api_keys(raw)
    assert "justakey" not in str(exc.value) and "k1" not in str(exc.value)


def test_no_keys_configured_resolves_nothing():
    assert KeyRing.parse("").resolve("anything") is None
