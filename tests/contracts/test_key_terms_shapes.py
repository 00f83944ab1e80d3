"""Key terms on contracts written in many shapes and wordings (our own texts, none from the sample
or the eval corpus): each value and the words it was read from."""

from __future__ import annotations

import pytest

from assistant.contracts.key_terms import extract_key_terms
from tests.contracts.conftest import doc_from_text


def terms_of(text: str, tmp_path):
    doc, _ = doc_from_text(text, tmp=tmp_path)
    return extract_key_terms(doc)


def test_as_of_preamble_gives_agreement_and_effective_date_and_both_parties(tmp_path):
    t = terms_of(
        "CONSULTING AGREEMENT\n\nThis Consulting Agreement (the \"Agreement\") is made and entered into as of this 2nd day "
        "of January 2020, by and between Harbor Tools, Ltd (hereinafter the \"Company\"), a Delaware corporation whose "
        "address is 501 1st Ave N., Suite 901, St. Petersburg, FL 33701 and Dana Whitfield (hereinafter the \"Consultant\"), "
        "an individual (individually, a \"Party\"; collectively, the \"Parties\").\n\n"
        "2. TERM OF AGREEMENT. This Agreement shall be in full force and effect commencing on January 2, 2020 and shall "
        "remain in effect for one (1) year.\n", tmp_path)
    assert t.agreement_date.iso == "2020-01-02" and "2nd day of January 2020" in t.agreement_date.citation.quote
    assert t.effective_date.iso == "2020-01-02" and t.effective_date.basis
    assert [(p.name, p.defined_as) for p in t.parties] == [("Harbor Tools, Ltd", ["Company"]), ("Dana Whitfield", ["Consultant"])]
    assert (t.initial_term.value, t.initial_term.unit) == (1.0, "year")
    assert t.expiration_date.iso == "2021-01-02" and "from January 2, 2020" in t.expiration_date.basis


def test_dated_then_effective_on_a_later_date(tmp_path):
    t = terms_of(
        "Quillon Bio, Inc (\"Quillon\") and Marten Advisory B.V (\"Consultant\") agree to all terms of this Consulting "
        "Agreement (\"Agreement\") dated June 1, 2020, effective as of July 1, 2020 (\"Effective Date\").\n\n"
        "1. Services. Consultant shall advise Quillon.\n", tmp_path)
    assert (t.agreement_date.iso, t.effective_date.iso) == ("2020-06-01", "2020-07-01")
    assert {p.name for p in t.parties} == {"Quillon Bio, Inc", "Marten Advisory B.V"}


def test_effective_on_the_later_signature_date(tmp_path):
    t = terms_of(
        "HOSTING AGREEMENT\n\nThis Hosting Agreement is entered into by and between Pellow Inc, a Nevada corporation "
        "(\"Licensee\"), and Corvane, Inc. (\"Corvane\").\n\n10. Term. This Agreement shall commence as of the Effective "
        "Date and shall continue in effect for one (I) year (the \"Initial Term\"). This Agreement shall automatically "
        "renew for successive one (1) year terms unless a Party provides written notice of non-renewal at least one "
        "hundred eighty (180) days prior to the expiration of the then-current term.\n\n11. Effective Date. The "
        "Effective Date of this Agreement shall be the later of the dates shown by the signatures below.\n\n"
        "PELLOW INC                      CORVANE, INC.\nBy: /s/ A. Ross              By: /s/ K. Imai\n"
        "Date: 3-14-18                   Date: 3-7-18\n", tmp_path)
    assert t.agreement_date.iso == "2018-03-14" and t.agreement_date.basis == "the date of the last signature"
    assert t.effective_date.iso == "2018-03-14" and "later of the dates" in t.effective_date.basis
    assert (t.initial_term.value, t.renewal_term.value, t.renewal_term.unit) == (1.0, 1.0, "year")
    assert t.expiration_date.iso == "2019-03-14"
    assert [(n.kind, n.days) for n in t.notice_periods] == [("non_renewal", 180)]


def test_blank_date_in_a_template_is_kept_as_written(tmp_path):
    t = terms_of(
        "This Support Agreement (\"Agreement\") is entered into and is effective as of the ____ day of ____________ 2000 "
        "(the \"Effective Date\") by and between Talwin Systems, Inc., a Delaware corporation (\"Talwin\") and "
        "______________________, a ___________ corporation (\"Licensee\").\n", tmp_path)
    assert t.agreement_date.iso == "" and "2000" in t.agreement_date.text
    assert [(p.name, p.defined_as) for p in t.parties] == [("Talwin Systems, Inc.", ["Talwin"]), ("[blank]", ["Licensee"])]


@pytest.mark.parametrize("clause, initial, end", [
    ("This Agreement shall commence on the Effective Date and shall continue until the four-year anniversary of the "
     "Effective Date, and shall automatically renew for successive one-year periods.", (4.0, "year"), "2024-03-01"),
    ("The term of this Agreement shall be five (5) years commencing on the Effective Date.", (5.0, "year"), "2025-03-01"),
    ("This Agreement will terminate automatically on the third anniversary of the Effective Date.", (3.0, "year"), "2023-03-01"),
    ("Term: twenty-four (24) months from the Effective Date.", (24.0, "month"), "2022-03-01"),
    ("The \"Term\" shall begin on the date hereof and shall expire December 31, 2023. Customer may, by written notice, "
     "elect for the Term to be extended to December 31, 2024.", None, "2023-12-31"),
    ("This Agreement shall run until 30 June 2022 unless terminated earlier.", None, "2022-06-30"),
])
def test_initial_term_and_end_in_many_wordings(tmp_path, clause, initial, end):
    t = terms_of("This Services Agreement is made as of March 1, 2020 between Orrin Labs LLC (\"Orrin\") and Tessel "
                 f"Corp. (\"Tessel\").\n\n3. Term. {clause}\n", tmp_path)
    assert t.effective_date.iso == "2020-03-01"
    assert (None if t.initial_term is None else (t.initial_term.value, t.initial_term.unit)) == initial
    assert t.expiration_date.iso == end
    assert t.indefinite_term is None


@pytest.mark.parametrize("clause", [
    "This Agreement shall be effective from the date first above written and shall continue indefinitely until "
    "terminated by either Party in accordance with its provisions.",
    "This Agreement shall remain in effect until terminated by the Parties.",
    "The Agreement is concluded for an indefinite period.",
])
def test_no_fixed_end(tmp_path, clause):
    t = terms_of(f"THIS AGREEMENT made this 20 day of November, 1995 between Aster Freight Ltd. (\"Aster\") and Bole "
                 f"Couriers Inc. (\"Bole\").\n\n2.1 {clause}\n", tmp_path)
    assert t.indefinite_term is not None and t.initial_term is None and t.expiration_date is None
    assert t.agreement_date.iso == "1995-11-20"


@pytest.mark.parametrize("clause, days", [
    ("This agreement shall renew automatically each year thereafter, unless either party serves written notice of its "
     "intention not to renew, on the other at least 90 days prior to the expiration of the then current term.", 90),
    ("Thereafter, the Agreement shall be automatically renewed for additional two year periods unless either Party "
     "notifies the other Party of its intention not to renew in writing at least three calendar months before the "
     "expiration of the then current Term.", 90),
    ("This Agreement shall automatically renew for successive twelve (12) month terms unless either party gives the "
     "other sixty (60) days' written notice of termination before the end of the then-current term.", 60),
    ("Customer, upon thirty days prior written notice, may cancel this Agreement at the end of the Initial Term.", 30),
])
def test_renewal_notice_is_the_notice_not_the_renewal_period(tmp_path, clause, days):
    t = terms_of(f"This Agreement is dated 1 May 2006 between Vexa Systems Inc. (\"Vexa\") and Brill Life Company "
                 f"(\"Brill\").\n\n12. Term and Renewal. The initial term is one (1) year. {clause}\n", tmp_path)
    assert [n.days for n in t.notice_periods if n.kind == "non_renewal"][:1] == [days]


# (the preamble's date wording, its ISO date) for each governing-law case: each case also dates the contract differently.
ON_4_AUGUST, DOTTED = ("is made on 4th of August 2010", "2010-08-04"), ("is dated 01.06.2006", "2006-06-01")


@pytest.mark.parametrize("sentence, jurisdiction, dated", [
    ("20. Governing Law. This Agreement was entered into in the State of Florida, and its validity, construction and legal "
     "effect shall be governed by the laws and judicial decisions of the State of Florida.", "State of Florida", ON_4_AUGUST),
    ("20. Governing Law. The laws of the Federal Republic of Germany shall apply to the Agreement.",
     "Federal Republic of Germany", ON_4_AUGUST),
    ("20. Governing Law. This Agreement and any dispute arising from it shall be governed by English law.",
     "England and Wales", ON_4_AUGUST),
    ("20. Governing Law. This Agreement shall be governed by and construed in accordance with the laws of the Commonwealth "
     "of Massachusetts, without regard to its conflict of laws rules.", "Commonwealth of Massachusetts", ON_4_AUGUST),
    ("20. Miscellaneous. This Agreement shall be construed under Delaware law.", "Delaware", DOTTED),
    ("20. GOVERNING LAW. This Agreement shall be governed by and construed in accordance with the laws, other than choice "
     "of law rules, of the state of Florida.", "state of Florida", DOTTED),  # the Sykes wording in issue 24
    ("20. Miscellaneous. This Agreement is governed by the laws in force in Spain.", "Spain", DOTTED),
    ("20. Miscellaneous. Nothing here limits the securities laws of the State of Texas. 21. Governing Law. This Agreement "
     "shall be governed by the laws of the State of New York.", "State of New York", DOTTED),
])
def test_governing_law_wordings(tmp_path, sentence, jurisdiction, dated):
    t = terms_of(f"This Agreement {dated[0]} between Lorn Holdings plc (\"Lorn\") and Petal Software AG (\"Petal\").\n\n"
                 f"{sentence}\n", tmp_path)
    assert t.governing_law.jurisdiction == jurisdiction
    assert t.governing_law.citation.clause_no in ("20", "21")
    assert t.agreement_date.iso == dated[1]  # "4th of August 2010"; a European dotted date, day first


def test_order_form_labels(tmp_path):
    t = terms_of("ORDER FORM\n\nProvider: Kestrel Cloud Inc.\nCustomer: Moss & Vale LLP\nEffective Date: 2024-05-01\n"
                 "Governing Law: Delaware\nSubscription Period: 12 months\n", tmp_path)
    assert t.effective_date.iso == "2024-05-01"
    assert t.governing_law.jurisdiction == "Delaware"
    assert [p.name for p in t.parties] == ["Kestrel Cloud Inc.", "Moss & Vale LLP"]


def test_effective_on_an_event_is_not_a_calendar_date(tmp_path):
    t = terms_of("This Agreement is dated as of May 3, 2011 between Fenwick Ore Corp. (\"Fenwick\") and Ladd Mining "
                 "LLC (\"Ladd\").\n\n2. Effectiveness. This Agreement shall become effective upon the Closing of the "
                 "Merger.\n", tmp_path)
    assert t.effective_date.iso == "" and "Closing" in t.effective_date.text
    assert t.agreement_date.iso == "2011-05-03"


def test_the_testimonium_date_when_the_opening_words_have_none(tmp_path):
    t = terms_of("SERVICES AGREEMENT\n\nThis Services Agreement is between Kite Labs Inc. (\"Kite\") and Moor Data LLC "
                 "(\"Moor\").\n\n1. Services. Moor shall host the Kite platform.\n\nIN WITNESS WHEREOF, the parties have "
                 "executed this Agreement as of March 5, 1998.\n\nKITE LABS INC.   By: /s/ J. Doe\n", tmp_path)
    assert t.agreement_date.iso == "1998-03-05" and t.agreement_date.basis == "the date of the last signature"


@pytest.mark.parametrize("clause, years", [
    ("This Agreement shall continue until the fifth (5th) anniversary of the Effective Date.", 5.0),
    ("This Agreement shall terminate two (2) years after the Effective Date.", 2.0),
])
def test_more_term_wordings(tmp_path, clause, years):
    t = terms_of("This Agreement is entered into by Tarn Mills Inc., a Maine corporation (\"Tarn\"), and Ostra Foods "
                 f"LLC (\"Ostra\"), effective as of March 1, 2020.\n\n4. Term. {clause}\n", tmp_path)
    assert (t.initial_term.value, t.initial_term.unit) == (years, "year")
    assert t.expiration_date.iso == f"{2020 + int(years)}-03-01"
    assert [(p.name, p.defined_as) for p in t.parties] == [("Tarn Mills Inc.", ["Tarn"]), ("Ostra Foods LLC", ["Ostra"])]


def test_a_full_date_beats_a_cover_month_and_a_month_alone_is_kept_as_written(tmp_path):
    t = terms_of("Services Agreement\n\nSeptember 2018\n\nTHIS SERVICES AGREEMENT is made on 25 September 2018 between "
                 "Lark Capital LLC (\"Lark\") and Wren Advisors Ltd (\"Wren\").\n", tmp_path)
    assert t.agreement_date.iso == "2018-09-25"
    t = terms_of("This Agreement is dated as of June, 2006 between Lark Capital LLC (\"Lark\") and Wren Advisors Ltd "
                 "(\"Wren\").\n", tmp_path)
    assert (t.agreement_date.iso, t.agreement_date.text) == ("", "June, 2006")


def test_four_parties_listed_with_commas(tmp_path):
    t = terms_of("This Agreement is entered into as of May 2, 2019 among Alder Corp., a Delaware corporation (\"Alder\"), "
                 "Birch LLC (\"Birch\"), Cedar Inc. (\"Cedar\") and Dogwood Ltd (\"Dogwood\").\n\n1. Services.\n", tmp_path)
    assert [(p.name, p.defined_as) for p in t.parties] == [
        ("Alder Corp.", ["Alder"]), ("Birch LLC", ["Birch"]), ("Cedar Inc.", ["Cedar"]), ("Dogwood Ltd", ["Dogwood"])]


def test_a_governing_law_left_blank_is_not_read_as_a_place(tmp_path):
    t = terms_of("Key Terms\n\nGoverning Law | The laws of {governing_law}\n", tmp_path)
    assert t.governing_law is None and "no governing law found in the text" in t.notes


@pytest.mark.parametrize("title, alias", [
    ("Data Processing Addendum", "DPA"), ("Statement of Work No. 4", "SOW"), ("Master Services Agreement", "MSA"),
    ("Amendment No. 2", "Amendment"), ("Order Form", "Order Form"), ("Business Associate Addendum", "BAA"),
])
def test_the_document_naming_itself_is_not_a_party(tmp_path, title, alias):
    # Wrapped as a PDF's text is: the line break after "Ltd." ends the "between" list early, so the
    # parties come from their defined terms, and the document's own defined term is one of those.
    t = terms_of(
        f"{title}\n\nThis {title} (the \"{alias}\") is effective as of May 4, 2024 and forms part of the Framework "
        f"Agreement of the same date (the \"Agreement\") between Corvel Freight Ltd.\n(\"Client\") and Ardent Contact "
        f"Services LLC (\"Vendor\"). It applies whenever Vendor handles Client's calls.\n\n1. Scope. Vendor shall "
        f"handle Client's inbound calls.\n", tmp_path)
    assert [(p.name, p.defined_as) for p in t.parties] == [("Corvel Freight Ltd.", ["Client"]),
                                                          ("Ardent Contact Services LLC", ["Vendor"])]


@pytest.mark.parametrize("clause, party", [
    ("A \"Persistent Failure\" occurs if the Vendor fails the same Service Level in two consecutive months, and the "
     "Client may then terminate this Agreement by giving fifteen (15) days' written notice.", "Client"),
    ("If Client fails to pay any undisputed invoice, Vendor may suspend the Services on ten (10) days' written "
     "notice.", "Vendor"),
    ("Vendor may terminate this Agreement for convenience on ninety (90) days' notice to Client.", "Vendor"),
    ("Client may, upon thirty (30) days' written notice to Vendor, terminate this Agreement.", "Client"),
    ("Unless Client gives Vendor written notice of non-renewal at least sixty (60) days before the end of the "
     "then-current term, this Agreement renews for one (1) year.", "Client"),
    ("Either party may terminate this Agreement on forty-five (45) days' written notice to the other.", "Either Party"),
])
def test_the_notice_is_given_by_the_party_that_acts(tmp_path, clause, party):
    t = terms_of("SERVICES AGREEMENT\n\nThis Services Agreement is made on March 3, 2024 between Halden Foods Inc. "
                 "(\"Client\") and Brightline Contact Ltd. (\"Vendor\").\n\n1. Services. Vendor shall answer Client's "
                 f"customer calls.\n\n2. Term and Termination. {clause}\n", tmp_path)
    assert [n.party for n in t.notice_periods] == [party]
