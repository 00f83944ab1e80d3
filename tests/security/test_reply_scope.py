"""The scope of a reply, decided in assistant.access.audience (Slack only words a denial): the
asker's own roles for a reply only they see, narrowed to what every other reader may read
otherwise, and nothing (with the reason) when the readers can't be known or share nothing."""

from __future__ import annotations

import pytest
import yaml

from assistant.access.audience import Audience, Denied
from assistant.access.policy import AccessPolicy
from assistant.config import load_settings

CONFIG = {"sources": [{"match": "contracts/**", "collection": "contracts", "roles": ["legal"]},
                      {"match": "runbooks/**", "collection": "runbooks", "roles": ["internal", "bpo_agent", "legal"]}]}


@pytest.fixture()
def audience(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(CONFIG), encoding="utf-8")
    settings = load_settings(path)
    return Audience(settings, AccessPolicy(settings, known_collections=lambda: ["contracts", "runbooks"]))


def _never_asked():
    raise AssertionError("a private reply must not look at the audience")


def test_a_private_reply_reads_with_the_askers_own_roles(audience):
    scope = audience.reply_scope(frozenset({"legal"}), None)
    assert scope.denied is None and scope.restrict_to is None and scope.narrowed == frozenset()


def test_a_reply_for_others_is_narrowed_to_what_they_all_may_read(audience):
    scope = audience.reply_scope(frozenset({"legal"}), lambda: frozenset({"runbooks"}))
    assert scope.denied is None and scope.restrict_to == {"runbooks"} and scope.narrowed == {"contracts"}


@pytest.mark.parametrize("roles, shared, denied", [
    (frozenset(), lambda: frozenset({"runbooks"}), Denied.NO_ROLES),
    (frozenset({"hr_partner"}), None, Denied.NO_ROLES),  # a role no rule names reads nothing
    (frozenset({"legal"}), lambda: None, Denied.AUDIENCE_UNKNOWN),  # members unknown: nothing, never a guess
    (frozenset({"bpo_agent"}), lambda: frozenset({"contracts"}), Denied.NOTHING_SHARED),
])
def test_nothing_with_the_reason_when_the_reply_may_show_nothing(audience, roles, shared, denied):
    scope = audience.reply_scope(roles, shared)
    assert scope.denied == denied and scope.restrict_to is None


def test_roles_that_read_nothing_are_refused_before_the_audience_is_asked(audience):
    assert audience.reply_scope(frozenset(), _never_asked).denied == Denied.NO_ROLES
    assert audience.reply_scope(frozenset({"legal"}), None).denied is None  # (None: no audience to ask)
