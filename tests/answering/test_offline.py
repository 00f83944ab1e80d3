"""Offline (no LLM) answers on real indexes: the bundled sample, and a slice of ../shared/corpus.

Every expected answer below was checked by reading the source file in samples/src (the PDFs and
.docx files are built from it) or samples/corpus.
"""

from __future__ import annotations

import shutil

import pytest

from assistant.answering.extractive import units
from assistant.models import Turn
from tests.answering.conftest import assert_well_cited, markers
from tests.conftest import SHARED, admin, as_role, build_service

# question, source of the first citation, a piece of its section path, a fact the answer must state
KNOWN = [
    ("How much notice does Northbeam need to give to terminate the MSA for convenience?",
     "contracts/northbeam-lumen-msa.pdf", "12. Term and Termination", "ninety (90) days' prior written notice"),
    ("How many QA evaluations per month does a tenured agent get?",
     "runbooks/quality-monitoring-sop.md", "3.1 Sample Sizes", "8 per agent per calendar month"),
    ("How long does the processor have to notify Northbeam of a personal data breach under the DPA?",
     "contracts/northbeam-lumen-dpa.pdf", "Personal Data Breach", "forty-eight (48) hours"),
    ("Within how many days must the chargeback team make the accept-or-contest decision?",
     "runbooks/chargeback-disputes-sop.docx", "2.1 Internal Deadlines", "within 3 calendar days of the dispute notice"),
    ("How quickly must an approved refund exception be issued in the payment system?",
     "runbooks/refund-exceptions-sop.md", "5.2 Processing an Approved Exception", "within 2 business days of approval"),
    ("What is the response time of the Lumen Level 1 Shift Operations Manager for a SEV-1?",
     "runbooks/escalation-matrix.docx", "2. Lumen Escalation Levels", "15 minutes for SEV-1"),
    # A Word table row at the start of a chunk (the SOW's SLA schedule continues from the chunk
    # before): it used to be taken for the table header and vanished from the answer.
    ("What is the service credit for missing the chargeback response timeliness SLA?",
     "contracts/northbeam-lumen-sow-customer-care.docx", "7. Service Level Schedule", "5% of monthly back-office fees"),
    # The 6.2 progress-update template ("[SEV-x] Update [number] at [time PT]") used to outrank the
    # cadence table row: a template states no fact and is no longer an answer unit.
    ("How often do we send updates during a SEV-1 chat backlog?",
     "runbooks/chat-backlog-incident-runbook.md", "4. Who to Page and Update Cadence", "Every 30 minutes"),
]

# Known limits of the extractive ranking (units are scored on their own; the chunk's much higher
# similarity barely counts): the right section is retrieved but another unit wins. Strict, so a
# ranking change that fixes them shows up here: then move them into KNOWN.
KNOWN_MISSES = [
    pytest.param("What are the auto-fail errors in the QA scorecard?",
                 "runbooks/quality-monitoring-sop.md", "2.1 Auto-Fail Errors", "whole evaluation scores zero",
                 marks=pytest.mark.xfail(strict=True, reason="a refund-SOP sentence naming 'auto-fail error in the QA "
                                                             "scorecard' outranks the 2.1 list (dense 0.77 vs 0.51)"),
                 id="qa-auto-fail"),
]

OUT_OF_CORPUS = [
    "How many etcd members are needed to keep quorum in a Kubernetes cluster?",
    "Write me a poem about the sea at night.",
    "What is the corporate income tax rate under the tax law of Peru?",
]


@pytest.mark.parametrize("question,source,section,fact", KNOWN, ids=[k[1].split("/")[1] for k in KNOWN])
def test_known_questions_cite_the_right_section(sample_service, question, source, section, fact):
    answer = sample_service.ask(question, admin())
    assert answer.mode == "extractive" and answer.grounded, answer.answer
    first = answer.citations[0]
    assert (first.source, section in first.section_path) == (source, True), (first.source, first.section_path)
    assert fact in answer.answer, answer.answer
    assert_well_cited(sample_service, answer)


@pytest.mark.parametrize("question,source,section,fact", KNOWN_MISSES)
def test_known_extractive_misses(sample_service, question, source, section, fact):
    answer = sample_service.ask(question, admin())
    first = answer.citations[0] if answer.citations else None
    assert first and first.source == source and section in first.section_path and fact in answer.answer, answer.answer


@pytest.mark.parametrize("question", OUT_OF_CORPUS, ids=["etcd", "poem", "peru-tax"])
def test_out_of_corpus_questions_are_refused_naming_the_closest_documents(sample_service, question):
    answer = sample_service.ask(question, admin())
    assert answer.grounded is False and answer.citations == [] and markers(answer.answer) == []
    assert answer.answer.startswith("The documents don't cover this.")
    titles = {r.title for r in sample_service.search(question, admin()).results}
    assert answer.closest_sources and set(answer.closest_sources) <= titles, answer.closest_sources
    for title in answer.closest_sources:
        assert title in answer.answer


def test_a_refusal_names_only_documents_the_caller_may_read(sample_service):
    answer = sample_service.ask(OUT_OF_CORPUS[2], as_role("bpo_agent"))
    assert answer.grounded is False and answer.closest_sources
    assert not any(word in t for t in answer.closest_sources for word in ("Agreement", "Statement of Work", "Addendum"))


def test_a_bpo_agent_never_gets_a_contract_citation(sample_service):
    answer = sample_service.ask(KNOWN[0][0], as_role("bpo_agent"))  # the MSA notice question
    assert all(c.collection != "contracts" and not c.source.startswith("contracts/") for c in answer.citations)
    assert "ninety (90)" not in answer.answer


def test_the_offline_answer_is_a_short_reply_not_the_chunks(sample_service):
    question = KNOWN[1][0]
    answer = sample_service.ask(question, admin())
    results = sample_service.search(question, admin()).results
    pasted = sum(len(r.text) for r in results[:4])
    assert len(answer.answer) < pasted / 3, (len(answer.answer), pasted)
    assert answer.answer.count("[") <= 2 * sample_service.settings.answering.max_sentences
    assert "|" not in answer.answer and "**" not in answer.answer  # table and Markdown markup are rendered


def test_a_mid_table_word_row_is_an_answer_unit_not_a_header():
    # What a .docx table looks like in a chunk that starts on its second data row.
    chunk = ("Chargeback Response Timeliness | Percentage of disputes answered within 7 calendar days. | ≥ 99% | 5% of fees\n"
             "Customer Satisfaction (CSAT) | Share of surveys rating 4 or 5. | ≥ 85% | None (reported only)")
    rows = [u for u in units(chunk) if u.kind == "row"]
    assert [r.raw.split(" | ")[0] for r in rows] == ["Chargeback Response Timeliness", "Customer Satisfaction (CSAT)"]
    assert all(chunk[r.start:r.end] == r.raw for r in rows)
    assert not rows[1].display.startswith("Chargeback")  # not labelled with the other row's cells
    # The same table starting at its header still labels the cells.
    with_header = "Metric | Definition | Target | Service Credit\n" + chunk
    labelled = [u for u in units(with_header) if u.kind == "row"]
    assert len(labelled) == 2 and labelled[0].display.startswith("Metric: Chargeback Response Timeliness; Definition:")


def test_a_chunk_that_starts_mid_table_labels_its_rows_with_the_recorded_header():
    # The chunker records the header row of the table a chunk continues (ChunkMeta.table_header).
    chunk = ("| 2,000.01 to 5,000.00 | Customer Care Manager | 2 business days |\n"
             "| Over 5,000.00 | Finance Controller | 3 business days |\n\nAfter the table.")
    header = "| Exception value (USD) | Approver | Decision time limit |"
    rows = [u for u in units(chunk, table_header=header) if u.kind == "row"]
    assert [r.display for r in rows] == [
        "Exception value (USD): 2,000.01 to 5,000.00; Approver: Customer Care Manager; Decision time limit: 2 business days",
        "Exception value (USD): Over 5,000.00; Approver: Finance Controller; Decision time limit: 3 business days"]
    assert all(chunk[r.start:r.end] == r.raw for r in rows)  # quotes stay verbatim
    # A Word row that reads like labels is still a data row when the header is known.
    word = "Escalation | Team Lead | Shift Manager\nSecurity | Duty Officer | CISO"
    labelled = units(word, table_header="Trigger | First contact | Then")
    assert [u.display.split(";")[0] for u in labelled] == ["Trigger: Escalation", "Trigger: Security"]
    # A header for a chunk that does not start with a row is ignored.
    assert [u.display for u in units("Intro text here.\n\n| a | b |", table_header="| X | Y |")][0] == "Intro text here."


def test_an_answer_from_a_continued_table_names_the_columns(sample_service):
    # The refund SOP's approval table runs into a second chunk; its rows used to be quoted as bare
    # cells ("2,000.01 to 5,000.00; Northbeam Customer Care Manager; ...").
    answer = sample_service.ask("A customer is asking for a $4,200 refund outside policy. Who has to sign off on that?",
                                admin())
    first = answer.answer.split("[1]")[0]
    assert "Approver: Northbeam Customer Care Manager" in first and "Decision time limit: 2 business days" in first, answer.answer
    assert "2,000.01 to 5,000.00" in answer.citations[0].quote
    assert_well_cited(sample_service, answer)


@pytest.mark.parametrize(("question", "row", "named"), [
    ("what's the update cadence for a SEV-2?", "| SEV-2 | Shift Manager | Every 60 minutes |", True),
    ("what's the update cadence for a SEV-2?", "| SEV-1 | Shift Manager | Every 30 minutes |", False),
    ("is SEV-10 a thing?", "| SEV-1 | Shift Manager | Every 30 minutes |", False),  # a whole term only
    ("what does RX-LATE mean?", "RX-LATE | Return outside the return window", True),
    ("what is the target for email response time?", "| Email Response Time | 95% within 24 hours |", True),
    ("is the answer yes?", "| Yes | Escalate |", False),  # a generic value names no row
    ("is it in 1 day?", "| 1 | Escalate |", False),  # no letters: a figure names no row
])
def test_a_question_names_a_row_by_its_first_cell(question, row, named):
    from assistant.answering.pipeline import _names_the_row

    assert _names_the_row(question, row) is named


def test_the_row_a_question_names_beats_a_sentence_that_shares_its_code(sample_service):
    # "A SEV-1 is resolved when chat wait time has stayed below 5 minutes..." (5.4) is closer to the
    # question than the paging table's SEV-1 row, which is the answer.
    answer = sample_service.ask("who do I call first when a SEV-1 chat backlog starts?", admin())
    assert "4. Who to Page" in answer.citations[0].section_path, answer.answer
    assert "Severity: SEV-1; Page immediately: Lumen Level 1 on-call Shift Operations Manager" in answer.answer
    assert_well_cited(sample_service, answer)


def test_a_sentence_cut_by_a_pdf_page_break_is_one_unit_and_a_paragraph_break_is_not():
    # A PDF chunk across pages 2-3: the blanked running header and "Page 3" sit mid-sentence.
    chunk = ("6.3 Processor shall not disclose Customer's Personal Data without Customer's prior written approval,\n\n\n"
             + " " * 56 + "\n" + " " * 6 + "\nexcept where required by law.\n\nThe next paragraph starts here.")
    found = units(chunk)
    assert [u.display for u in found] == [
        "6.3 Processor shall not disclose Customer's Personal Data without Customer's prior written approval, "
        "except where required by law.", "The next paragraph starts here."]
    assert all(chunk[u.start:u.end] == u.raw for u in found)
    # A paragraph that ends without a stop (a Markdown heading-like line) and one that starts a
    # new sentence stay apart.
    assert len(units("Escalation contacts\n\nCall the duty manager first.")) == 2


# Written for these tests: a contract clause saved as text, its sub-clauses on one numbered line.
ONE_LINE_CLAUSE = ("9. Term and Termination. 9.1. Term. This Agreement runs for twelve (12) months from the Effective "
                   "Date. 9.2. Termination. Either Party may end this Agreement for convenience on forty-five (45) days' "
                   "written notice to the other Party. The Client may end it at once if the Vendor breaches Section 4. "
                   "9.3. Survival. On termination, the duties of the Parties end except:")


def test_a_long_numbered_line_of_several_sentences_is_a_unit_per_sentence():
    found = units(ONE_LINE_CLAUSE)
    assert all(ONE_LINE_CLAUSE[u.start:u.end] == u.raw for u in found)
    assert ("Either Party may end this Agreement for convenience on forty-five (45) days' written notice to the other "
            "Party.") in [u.display for u in found]
    # A short item stays one unit, whatever its full stops.
    short = "3. Log the case. Tag it VIP."
    assert [u.display for u in units(short)] == ["Log the case. Tag it VIP."]


def test_a_clause_on_one_line_ending_in_a_lead_in_still_answers(tmp_path, embedder):
    # Whole, the line ended on "except:" and was dropped as a lead-in without its items.
    answer = _offline_answer(tmp_path, embedder, "how much notice to end the agreement for convenience?", ONE_LINE_CLAUSE)
    assert answer.grounded and "forty-five (45) days' written notice" in answer.answer, answer.answer
    assert len(answer.answer) < len(ONE_LINE_CLAUSE)


def _offline_answer(tmp_path, embedder, question: str, text: str, **meta):
    from assistant.answering.pipeline import Answerer
    from assistant.models import SearchResult
    from tests.conftest import make_settings

    passage = SearchResult(chunk_id="p1", source="runbooks/vendor-sop.md", text=text, score=1.0, section_path="Escalation",
                           page_start=None, page_end=None, char_start=0, char_end=len(text), doc_type="runbook",
                           doc_id="sop", title="Vendor SOP", collection="runbooks", dense_score=0.8).model_copy(update=meta)
    return Answerer(make_settings(tmp_path), embedder=embedder).answer(question, [passage])


FAQ = ('!!! question "Can a chat backlog be declared outside business hours?"\n'
       "    Yes. The overnight supervisor declares it when more than 40 chats wait longer than ten minutes, "
       "and pages the on-call manager.\n\nBacklogs are reviewed with the client every Monday.")


def test_a_documents_own_question_is_not_the_answer_the_text_after_it_is(tmp_path, embedder):
    answer = _offline_answer(tmp_path, embedder, "can we declare a chat backlog outside of business hours?", FAQ)
    assert answer.grounded
    assert "overnight supervisor declares it" in answer.answer
    assert "?" not in answer.answer and "!!!" not in answer.answer  # neither the question nor its markup
    assert FAQ.count(answer.citations[0].quote) == 1  # the quote is still verbatim


def test_the_sentence_after_the_closest_one_joins_the_answer(tmp_path, embedder):
    text = ("Vendor deadlines are tracked in the weekly operations review. When a vendor misses a deadline, the "
            "coordinator must notify the owner the same day. The owner is the Lumen Account Director, who agrees "
            "the recovery plan.\n\nCafeteria hours are posted on the intranet.")
    answer = _offline_answer(tmp_path, embedder, "who does the coordinator notify when a vendor misses a deadline?", text)
    assert "must notify the owner the same day" in answer.answer
    assert "Lumen Account Director" in answer.answer  # the fact comes after the sentence that restates the question
    assert "Cafeteria" not in answer.answer


def test_a_lead_in_after_the_closest_sentence_comes_with_its_items(tmp_path, embedder):
    text = ("The floor walker is a senior agent who supports the shift on the contact centre floor. "
            "During a backlog the floor walker is expected to:\n- answer agents' policy questions at their desks\n"
            "- move idle agents onto the busiest queue\n- report the queue length to the duty manager every hour\n"
            "- log any system errors\n\nFloor walkers rotate weekly.")
    answer = _offline_answer(tmp_path, embedder, "what does the floor walker do?", text)
    assert "expected to: answer agents' policy questions" in answer.answer
    assert "busiest queue" in answer.answer and "every hour" in answer.answer


def test_a_lead_in_whose_items_are_in_another_chunk_is_left_out(tmp_path, embedder):
    text = ("The floor walker is a senior agent who supports the shift on the contact centre floor. "
            "During a backlog the floor walker is expected to:")
    answer = _offline_answer(tmp_path, embedder, "what is the floor walker expected to do during a backlog?", text)
    assert answer.grounded and "senior agent who supports the shift" in answer.answer
    assert "expected to" not in answer.answer  # "...is expected to." would end the answer on nothing


def test_a_chosen_lead_in_without_its_items_is_dropped():
    from assistant.answering.pipeline import _Candidate, _without_dangling_lead_ins

    def unit(i, start, display):
        return _Candidate(i, start, start + len(display), display, display=display)

    fact, lead_in, item = unit(0, 0, "Agents log every refund."), unit(0, 40, "Approvals need:"), unit(0, 60, "a team lead")
    other = unit(1, 0, "Refunds post in two days.")
    assert _without_dangling_lead_ins([fact, lead_in, item]) == [fact, lead_in, item]
    assert _without_dangling_lead_ins([fact, lead_in, other]) == [fact, other]  # its items are not there
    assert _without_dangling_lead_ins([lead_in]) == [lead_in]


def test_what_follows_stops_at_the_next_heading(tmp_path, embedder):
    text = ("## Steps for the Scribe\n\nAfter the call the scribe files the timeline in the postmortem document.\n\n"
            "## Steps for the Deputy\n\nThe deputy books the review meeting for the following week.")
    answer = _offline_answer(tmp_path, embedder, "what does the scribe do after the call?", text)
    assert "files the timeline" in answer.answer
    assert "review meeting" not in answer.answer  # the next section's step is not the scribe's


def test_a_lead_in_ending_with_a_colon_brings_its_items(tmp_path, embedder):
    text = ("Shift start\n\nBefore each shift an agent checks these things:\n- the headset and softphone login\n"
            "- the queue dashboard for backlog alerts\n- callbacks left open by the previous shift\n- the break rota\n\n"
            "Supervisors sign the shift log.")
    answer = _offline_answer(tmp_path, embedder, "what does an agent check before each shift?", text)
    assert "checks these things: the headset and softphone login" in answer.answer  # the colon reads on
    assert "queue dashboard" in answer.answer and "callbacks left open" in answer.answer
    assert "break rota" not in answer.answer  # up to three items


def test_a_wrapped_line_starting_with_a_parenthesis_continues_its_sentence():
    text = ("10.4 Audit Findings. Supplier shall remediate any finding within thirty\n(30) days, or within a longer agreed\n"
            "period. Customer may audit where:\n(a) a breach occurred; or\n(b) a regulator requires it.")
    found = [u.display for u in units(text)]
    assert "Supplier shall remediate any finding within thirty (30) days, or within a longer agreed period." in found
    assert "a breach occurred; or" in found and "a regulator requires it." in found  # after ':' they are items


def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = "Supplier shall use insurers rated A- or better by A.M. Best or an equivalent agency. Acme Inc. pays the premium."
    assert [u.display for u in units(text)] == [
        "Supplier shall use insurers rated A- or better by A.M. Best or an equivalent agency.", "Acme Inc. pays the premium."]


def test_a_heading_line_inside_the_text_is_not_the_answer_the_clause_under_it_is(tmp_path, embedder):
    text = ("14. Exit and Transition Assistance\n14.1 Exit Plan. Within ninety (90) days after the Effective Date, "
            "Supplier shall deliver a draft exit plan for moving the Services to Customer or a new provider.\n"
            "14.2 Exit Period. Supplier shall keep performing the Services for up to six (6) months after termination.")
    answer = _offline_answer(tmp_path, embedder, "what is the exit plan for transition assistance?", text)
    assert "deliver a draft exit plan" in answer.answer
    assert "Exit and Transition Assistance." not in answer.answer.split(": ", 1)[1]  # not quoted as a sentence
    assert "14.1 Exit Plan." not in answer.answer


def test_a_contract_quote_cites_the_sub_clause_it_sits_in(tmp_path, embedder):
    text = ("17. Limitation of Liability\n17.1 Exclusion. Neither Party is liable for indirect or consequential loss.\n"
            "17.2 Liability Cap. Each Party's total liability shall not exceed the fees paid in the twelve (12) months "
            "before the claim.\n17.3 Data Protection. A separate cap applies to data protection claims.")
    answer = _offline_answer(tmp_path, embedder, "what is the cap on total liability?", text, doc_type="msa",
                             clause_no="17", section_path="17. Limitation of Liability", source="contracts/msa.pdf")
    assert "shall not exceed the fees paid" in answer.answer
    assert answer.citations[0].clause_no == "17.2"
    assert answer.answer.startswith("According to Vendor SOP (clause 17.2, 17. Limitation of Liability)")


STEPS = ("1. Verify the customer's identity.\n2. Open the order and confirm the amount paid.\n"
         "3. If the value is within your approval limit, approve the exception and tell the customer the timeline.\n"
         "4. If the value is above your approval limit, submit an approval request to your team lead with the "
         "exception code.\n5. Add a case note explaining the decision.")


def test_a_runbook_quote_cites_the_step_it_sits_in(tmp_path, embedder):
    # Stored as "1" (the chunk's first step); the quote is step 4, and a runbook has no clauses.
    answer = _offline_answer(tmp_path, embedder, "who do I send an approval request with the exception code to?", STEPS,
                             doc_type="sop", clause_no="1", section_path="5.1 Handling the Request")
    assert "submit an approval request" in answer.answer
    assert answer.citations[0].clause_no == "4"
    assert answer.answer.startswith("According to Vendor SOP (5.1 Handling the Request): ")


def test_a_runbook_quote_before_the_first_step_names_no_step(tmp_path, embedder):
    text = "Refund exceptions above a team lead's limit go to the Service Delivery Manager for approval.\n\n" + STEPS
    answer = _offline_answer(tmp_path, embedder, "who approves refund exceptions above a team lead's limit?", text,
                             doc_type="sop", clause_no="1", section_path="5.1 Handling the Request")
    assert answer.citations[0].quote.startswith("Refund exceptions above a team lead's limit")
    assert answer.citations[0].clause_no == ""  # not "1": the quote comes before step 1


def test_a_list_numbered_one_one_one_names_no_step(tmp_path, embedder):
    # Markdown shows "1. 1. 1." as steps 1, 2, 3: the written "1" of the third item is not its step.
    text = ("1. Announce on the call that you are the incident commander.\n\n"
            "1. Identify whether there is an obvious cause and delegate the investigation.\n\n"
            "1. Once the call is over, follow the steps from After an Incident.")
    answer = _offline_answer(tmp_path, embedder, "when do I follow the steps from After an Incident?", text,
                             doc_type="runbook", clause_no="1", section_path="Steps for Incident Commander")
    assert "Once the call is over" in answer.citations[0].quote and answer.citations[0].clause_no == ""


def test_a_quote_after_a_page_break_cites_the_later_page(tmp_path, embedder):
    page_one = "9.1 Records. Supplier shall keep call recordings for ninety (90) days.\n\n"
    text = page_one + "9.2 Deletion. Supplier shall delete chat transcripts twelve (12) months after the chat closes."
    start = 5000  # the chunk's offset in its document; page 8 begins where 9.2 does
    answer = _offline_answer(tmp_path, embedder, "when must chat transcripts be deleted?", text, doc_type="msa",
                             page_start=7, page_end=8, page_breaks=str(start + len(page_one)), char_start=start,
                             char_end=start + len(text))
    assert "delete chat transcripts" in answer.answer
    assert answer.citations[0].page_start == 8
    # The page breaks stay internal: the search response does not carry them.
    from assistant.models import SearchResult
    assert "page_breaks" not in SearchResult(**{**answer.citations[0].model_dump(), "text": "", "score": 1.0,
                                               "page_end": 8, "char_start": 0, "char_end": 1, "doc_id": "d",
                                               "page_breaks": "3"}).model_dump()


def test_markdown_extension_markup_is_not_read_out():
    text = ('!!! tip "Before you page"\n    Check the [status page](https://status.example.com){:target="_blank"} first.\n\n'
            "???+ note\n    Managers join only when asked.")
    assert [u.display for u in units(text)] == ["Check the status page first.", "Managers join only when asked."]


def test_rule_based_follow_up_rewrite_offline(sample_service):
    first = "What is the escalation path for a SEV-1 chat backlog?"
    previous = sample_service.ask(first, admin())
    history = [Turn(role="user", content=first), Turn(role="assistant", content=previous.answer)]
    answer = sample_service.ask("and for SEV-2?", admin(), history=history)
    standalone = answer.standalone_question or ""
    assert "SEV-2" in standalone and "SEV-1" not in standalone
    assert "escalation path" in standalone and "chat backlog" in standalone
    assert answer.grounded and "SEV-2" in answer.answer
    # Without the history the same words carry no topic and are declined.
    alone = sample_service.ask("and for SEV-2?", admin())
    assert alone.standalone_question is None and alone.grounded is False


def test_a_standalone_follow_up_is_not_rewritten(sample_service):
    history = [Turn(role="user", content="What is the escalation path for a SEV-1 chat backlog?"),
               Turn(role="assistant", content="Page Level 1 and Level 2 together [1].")]
    question = "How many QA evaluations per month does a tenured agent get?"
    answer = sample_service.ask(question, admin(), history=history)
    assert answer.standalone_question is None
    assert answer.citations[0].source == "runbooks/quality-monitoring-sop.md"


# -- the team's real runbooks ------------------------------------------------------------------

SHARED_FILES = [
    "runbooks/prometheus-operator/node/NodeFilesystemAlmostOutOfFiles.md",
    "runbooks/prometheus-operator/node/NodeClockNotSynchronising.md",
    "runbooks/prometheus-operator/alertmanager/AlertmanagerFailedReload.md",
    "runbooks/prometheus-operator/general/Watchdog.md",
    "runbooks/prometheus-operator/kubernetes/KubeNodeNotReady.md",
]


@pytest.fixture(scope="module")
def shared_service(tmp_path_factory, embedder):
    if not SHARED.is_dir():
        pytest.skip(f"../shared/corpus not present: {SHARED} (it exists only in the team's workspace and CI)")
    missing = [f for f in SHARED_FILES if not (SHARED / f).is_file()]
    if missing:
        pytest.skip(f"../shared/corpus not present: {missing[0]} is missing")
    root = tmp_path_factory.mktemp("shared-slice")
    for rel in SHARED_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / rel, root / rel)
    svc = build_service(tmp_path_factory.mktemp("shared-home"), embedder)
    summary = svc.ingest(root, admin())
    assert summary.count("indexed") == len(SHARED_FILES), summary
    yield svc
    svc.catalog.close()


@pytest.mark.shared
@pytest.mark.parametrize("question,source,section,fact", [
    ("At what percentage of available inodes does NodeFilesystemAlmostOutOfFiles fire a critical alert?",
     SHARED_FILES[0], "Meaning", "3% of available inodes"),
    ("How do I check alertmanager.yaml for syntax problems when Alertmanager fails to reload?",
     SHARED_FILES[2], "Mitigation", "amtool check-config"),
], ids=["inodes", "amtool"])
def test_shared_runbooks(shared_service, question, source, section, fact):
    answer = shared_service.ask(question, admin())
    assert answer.grounded, answer.answer
    first = answer.citations[0]
    assert first.source == source and section in first.section_path, (first.source, first.section_path)
    assert fact in answer.answer, answer.answer
    assert_well_cited(shared_service, answer)


@pytest.mark.shared
def test_shared_runbooks_refuse_what_they_do_not_cover(shared_service):
    answer = shared_service.ask("What is the refund exception approval limit for Summit members?", admin())
    assert answer.grounded is False and answer.citations == [] and answer.closest_sources


def test_a_blanked_tag_leaves_no_space_before_punctuation_and_the_quote_stays_verbatim():
    # The Markdown loader blanks '<span>Customer</span>' to spaces: the answer reads as prose, the
    # citation still quotes the chunk as it is.
    text = "Provider will allow audits by        Customer       , to assess compliance (at least yearly      )."
    (unit,) = units(text)
    assert unit.display == "Provider will allow audits by Customer, to assess compliance (at least yearly)."
    assert text[unit.start:unit.end] == unit.raw and unit.raw == text
