"""Reading amendments from their text: what they change, from when, and which document they name."""

from __future__ import annotations

import pytest

from assistant.contracts.amendments import read_relation
from assistant.contracts.relations import DocProfile, Link, link
from tests.conftest import SHARED, needs_shared


def _changes(text: str, title: str = "Amendment"):
    relation = read_relation(title, text)
    assert relation is not None
    return [(c.action, c.target) for c in relation.changes], relation


@pytest.mark.parametrize("sentence, expected", [
    ("1. Clause 12.2 of the Agreement is deleted and replaced with the following:\n\n12.2 Notice. Thirty days.", ("replace_clause", "12.2")),
    ("Section 4.1 is hereby amended and restated in its entirety as follows:\n\n4.1 Fees. USD 10.", ("replace_clause", "4.1")),
    ("The following is substituted for Section 9:\n\n9. Audit. Once a year.", ("replace_clause", "9")),
    ("Section 7.3 of the MSA is hereby deleted in its entirety.", ("delete_clause", "7.3")),
    ("(b) Delete Clause 15.", ("delete_clause", "15")),
    ("A new Clause 9.6 is added as follows:\n\n9.6 Screening. Annual checks.", ("add_clause", "9.6")),
    ("The following new Section 3.4 is inserted:\n\n3.4 Holidays. Closed on 25 December.", ("add_clause", "3.4")),
    ('In Section 6.3, the words "forty-five (45) days" are replaced with "sixty (60) days".', ("replace_figure", "6.3")),
    ('Clause 5.2 is amended by deleting "95%" and inserting "98%".', ("replace_figure", "5.2")),
    ("Exhibit B (Pricing) is deleted in its entirety and replaced by the Exhibit B attached hereto.", ("replace_schedule", "Exhibit B")),
    ("The Initial Term is hereby extended until December 31, 2029.", ("extend_term", "")),
    ("The term of this Agreement set out in Section 2.1 is extended by twelve (12) months.", ("extend_term", "2.1")),
])
def test_each_change_shape_is_read_in_several_wordings(sentence, expected):
    text = ("This Amendment No. 2 amends the Services Agreement dated 1 May 2024 between Acme Ltd and Beta Inc.\n\n"
            + sentence + "\n\nAll other terms remain unchanged.")
    changes, _ = _changes(text)
    assert changes == [expected]


def test_a_figure_replacement_keeps_old_and_new_figures_and_where_the_new_one_is():
    text = ('This Amendment amends the Master Services Agreement dated 2 February 2025.\n\n'
            'In Clause 6.3 the words "forty-five (45) days" shall be replaced by "sixty (60) days".')
    relation = read_relation("First Amendment", text)
    (change,) = relation.changes
    assert (change.old_text, change.new_text) == ("forty-five (45) days", "sixty (60) days")
    assert text[change.new_start:change.new_end] == "sixty (60) days"


def test_replacement_wording_runs_to_the_next_instruction_not_into_the_boilerplate():
    text = ("This Amendment No. 1 amends the Master Services Agreement dated 2 February 2025.\n\n"
            "1. Clause 12.2 is deleted and replaced with the following:\n\n12.2 Termination. Thirty (30) days' notice.\n\n"
            "2. Clause 8 is deleted.\n\n3. Except as amended by this Amendment, the Agreement remains in full force.")
    relation = read_relation("Amendment No. 1", text)
    replace = relation.changes[0]
    assert text[replace.new_start:replace.new_end] == "12.2 Termination. Thirty (30) days' notice."
    assert [c.action for c in relation.changes] == ["replace_clause", "delete_clause"]


@pytest.mark.parametrize("title, opening, kind, label", [
    ("Amendment No. 3 to Master Services Agreement", "This Amendment amends the Master Services Agreement dated 2 Feb 2025.", "amendment", "Amendment No. 3"),
    ("Second Amendment", "THIS SECOND AMENDMENT modifies the Supply Agreement dated March 3, 2021.", "amendment", "Second Amendment"),
    ("Change Order 4", "This Change Order is issued under the Statement of Work No. 2 dated 1 June 2025.", "change_order", "Change Order 4"),
    ("Addendum to the Services Agreement", "This Addendum supplements the Services Agreement dated 10 January 2024.", "addendum", "Addendum"),
    ("Amended and Restated Distribution Agreement", "It amends and restates the Distribution Agreement dated 1 April 2019.", "restatement",
     "Amended and Restated Distribution Agreement"),
    ("Letter", "This amendment no. 5 (this \"Amendment\") to the Hosting Agreement dated July 1, 2020 is made between A and B.",
     "amendment", "amendment no. 5"),
])
def test_kinds_labels_and_the_named_document(title, opening, kind, label):
    relation = read_relation(title, opening)
    assert (relation.kind, relation.label) == (kind, label)
    assert relation.refers_title and relation.refers_date


def test_effective_date_is_the_amendments_own_not_the_amended_agreements():
    text = ("This Amendment No. 1 amends the Master Services Agreement dated 2 February 2025 between Acme and Beta. "
            "This Amendment is effective as of 1 October 2025.\n\n1. Clause 3 is deleted.")
    relation = read_relation("Amendment No. 1", text)
    assert (relation.refers_date, relation.effective) == ("2025-02-02", "2025-10-01")


def test_a_change_may_carry_its_own_effective_date():
    text = ("This Amendment amends the Services Agreement dated 1 May 2024. It is effective as of 1 June 2025.\n\n"
            "1. With effect from 1 January 2026, Clause 4.2 is deleted.")
    relation = read_relation("Amendment", text)
    assert relation.effective == "2025-06-01" and relation.changes[0].effective == "2026-01-01"


@pytest.mark.parametrize("title, text", [
    ("Master Services Agreement", "This Agreement supersedes all prior agreements. This Agreement may be amended only in writing signed by both parties."),
    ("Consulting Agreement", "Section 12.2 of this Agreement shall survive termination. No amendment is effective unless in writing."),
    ("Change Request Procedure SOP", "Raise a change request in the portal."),
])
def test_agreements_that_mention_amendment_are_not_amendments(title, text):
    assert read_relation(title, text) is None


@needs_shared
def test_no_shared_corpus_contract_reads_as_an_amendment():
    found = [p.name for p in (SHARED / "contracts").glob("*.txt")
             if read_relation(p.stem, p.read_text(encoding="utf-8", errors="replace"))]
    assert found == []


class _Row:
    def __init__(self, doc_id, title, doc_type, profile, ingested_at="2026-01-01"):
        self.doc_id, self.title, self.doc_type, self.profile, self.ingested_at = doc_id, title, doc_type, profile, ingested_at


def _profile(parties=(), dated="", text=None, title=""):
    return DocProfile(parties=list(parties), dated=dated, relation=read_relation(title, text) if text else None)


def test_linking_uses_title_date_and_parties_and_says_which_matched():
    amendment = _profile(["Acme Ltd", "Beta Inc."], text="This Amendment No. 1 amends the Services Agreement dated 1 May 2024.\n\n1. Clause 2 is deleted.",
                         title="Amendment No. 1")
    rows = [_Row("a1", "Amendment No. 1", "contract", amendment),
            _Row("old", "Services Agreement", "contract", _profile(["Acme Ltd", "Beta Inc."], "2024-05-01")),
            _Row("other", "Services Agreement", "contract", _profile(["Gamma plc", "Delta LLC"], "2023-02-01")),
            _Row("sow", "Statement of Work No. 1", "sow", _profile(["Acme Ltd", "Beta Inc."], "2024-05-01"))]
    assert link(rows)["a1"] == Link(amends="old", basis="title+date+parties")


def test_a_date_and_parties_link_without_the_title_but_parties_alone_do_not():
    text = "This Amendment amends the agreement between the parties dated 1 May 2024.\n\n1. Clause 2 is deleted."
    amendment = _profile(["Acme Ltd", "Beta Inc."], text=text, title="Amendment")
    amendment.relation.refers_date = "2024-05-01"
    rows = [_Row("a", "Amendment", "contract", amendment),
            _Row("base", "Outsourcing Contract", "contract", _profile(["Acme Ltd", "Beta Inc."], "2024-05-01")),
            _Row("same-parties", "Hosting Contract", "contract", _profile(["Acme Ltd", "Beta Inc."], "2022-01-01"))]
    assert link(rows)["a"] == Link(amends="base", basis="date+parties")


def test_an_amendment_naming_nothing_indexed_stays_unlinked():
    amendment = _profile(text="This Amendment No. 4 amends the Lease Agreement dated 1 May 2010.\n\n1. Clause 2 is deleted.",
                         title="Amendment No. 4")
    rows = [_Row("a", "Amendment No. 4", "contract", amendment),
            _Row("x", "Statement of Work No. 9", "sow", _profile(dated="2024-01-01"))]
    assert link(rows)["a"] == Link()
