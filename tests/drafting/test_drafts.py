from __future__ import annotations

import re
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from assistant.drafting.context import CONTRACT_UNAVAILABLE
from assistant.drafting.incident import load_incident
from assistant.drafting.metrics import MetricsError, MetricsText
from assistant.drafting.render import write_outputs
from assistant.errors import NotFound
from tests.conftest import as_role
from tests.drafting.conftest import INCIDENT_FILE, SOW
from tests.drafting.helpers import markers, quote_in_chunk, tickets_csv

COORDINATOR = as_role("coordinator")


@pytest.fixture(scope="module")
def drafts(drafting_service):
    return drafting_service.drafts


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("metrics")
    return SimpleNamespace(met=tickets_csv(folder / "met.csv", 960, 40), missed=tickets_csv(folder / "missed.csv", 930, 70))


@pytest.fixture(scope="module")
def met_escalation(drafts, files):
    return drafts.escalation(load_incident(INCIDENT_FILE), COORDINATOR, metrics=files.met)


@pytest.fixture(scope="module")
def missed_escalation(drafts, files):
    return drafts.escalation(load_incident(INCIDENT_FILE), COORDINATOR, metrics=files.missed)


@pytest.fixture(scope="module")
def missed_rca(drafts, files):
    return drafts.rca(load_incident(INCIDENT_FILE), COORDINATOR, metrics=files.missed)


def check_citations(service, draft):
    assert draft.citations, "a draft over the sample cites something"
    assert [c.n for c in draft.citations] == list(range(1, len(draft.citations) + 1))
    assert markers(draft.markdown) == {c.n for c in draft.citations}
    for c in draft.citations:
        assert quote_in_chunk(service, c), (c.n, c.quote)


def test_sample_escalation_is_addressed_from_the_matrix(met_escalation, drafting_service):
    draft = met_escalation
    assert draft.kind == "escalation" and draft.sent is False and draft.mode == "template"
    # SEV-2 starts at Level 1 and moves up after 4 hours; the incident lasted 36.5 hours.
    assert draft.email.to[0].startswith("Aisha Okonjo <aisha.okonjo@example.net>")
    assert draft.email.cc[0].startswith("Joel Castillo")
    assert draft.email.subject == "ESCALATION - Level 2 - Email backlog on the returns queue"
    matrix = [c for c in draft.citations if c.source == "runbooks/escalation-matrix.docx"]
    assert any("Aisha Okonjo" in c.quote for c in matrix)
    assert any("SEV-2 backlog incident declared" in c.quote for c in matrix)
    assert any('subject line "ESCALATION - [level] - [short description]"' in c.quote for c in matrix)
    check_citations(drafting_service, draft)


def test_sample_escalation_states_the_figures_and_the_rca_deadline(met_escalation):
    draft = met_escalation
    (sla,) = draft.sla
    assert (sla.metric, sla.actual, sla.target, sla.met) == ("Email Response Time", 96.0, 95.0, True)
    assert "96.00% (960 of 1,000) against a target of ≥ 95%" in draft.markdown
    assert any(c.chunk_id == sla.citation.chunk_id for c in draft.citations)
    rca = [c for c in draft.citations if c.source == SOW and "root cause analysis within 5 business days" in c.quote]
    assert rca and f"**Wednesday 22 October 2025**, 5 business days after the incident ended" in draft.markdown
    assert any(c.source.endswith("msa.pdf") and "contracts@example.net" in c.quote for c in draft.citations)
    lines = draft.slack_summary.splitlines()
    assert len(lines) <= 3 and "Aisha Okonjo" in lines[0] and "96.00%" in lines[1]


def test_missed_sla_goes_to_the_relationship_manager_with_the_credit_cited(missed_escalation, drafting_service):
    draft = missed_escalation
    assert draft.email.to[0].startswith("Priya Raman") and draft.email.cc[0].startswith("Aisha Okonjo")
    assert any(c.source.endswith("msa.pdf") and "for Supplier it is the Account Director" in " ".join(c.quote.split())
               for c in draft.citations)  # quotes are verbatim: the PDF breaks that line
    (sla,) = draft.sla
    assert (sla.status, sla.miss_points, sla.credit.percent_of_fees) == ("missed", 2.0, 5.0)
    assert "missed by 2.00 percentage points; service credit: 5% of monthly email fees" in draft.markdown
    assert "**Friday 7 November 2025**" in draft.markdown  # 5 business days after 31 October
    assert any("fifteen percent (15%)" in c.quote for c in draft.citations)
    check_citations(drafting_service, draft)


def test_rca_has_every_section_and_the_sla_figures(missed_rca, drafting_service):
    titles = [s.title for s in missed_rca.sections]
    assert titles == ["1. Summary", "2. Timeline", "3. Customer and business impact", "4. SLA impact",
                      "5. What the runbook says should have happened, and what did", "6. Root cause analysis",
                      "7. Corrective and preventive actions", "8. Follow-ups", "Sources"]
    sections = {s.key: s.markdown for s in missed_rca.sections}
    row = re.search(r"^\| Email Response Time \| ≥ 95% \| 93\.00% \(930 of 1,000\) \| missed by 2\.00 percentage points \| "
                    r"5% of monthly email fees \| \[(\d+)\] \|$", sections["sla-impact"], re.M)
    assert row
    cited = missed_rca.citations[int(row.group(1)) - 1]
    assert cited.source == SOW and cited.quote.startswith("Email Response Time |")
    assert "Earn-back" in sections["sla-impact"] and "Credit cap" in sections["sla-impact"]
    assert "Friday 7 November 2025" in sections["summary"]
    assert "Check whether the vendor claims an exclusion" in sections["follow-ups"]
    check_citations(drafting_service, missed_rca)


def test_rca_compares_the_runbook_with_what_happened(missed_rca):
    sections = {s.key: s.markdown for s in missed_rca.sections}
    runbook = sections["what-the-runbook-says-should-have-happened-and-what-did"]
    cited = [c for c in missed_rca.citations if c.source == "runbooks/chat-backlog-incident-runbook.md"]
    assert any(c.quote.startswith("Cancel or postpone coaching") for c in cited)
    assert "Recorded in the incident report: “Cancelled coaching sessions" in runbook
    assert "Not recorded in the incident report — to confirm" in runbook
    assert "For SEV-1, open the incident bridge call" not in missed_rca.markdown  # not a SEV-2 step
    assert "The runbook defines SEV-2 as:" in sections["summary"]
    assert "to confirm" in sections["root-cause-analysis"]
    assert "Owner: to assign" in sections["corrective-and-preventive-actions"]


def test_docx_opens_with_the_headings_and_the_sla_table(missed_rca, tmp_path):
    from docx import Document

    md, docx_path, js = write_outputs(missed_rca, tmp_path / "out")
    assert md.read_text(encoding="utf-8") == missed_rca.markdown and js.exists()
    doc = Document(str(docx_path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0].startswith("Root cause analysis (draft)")
    assert {"4. SLA impact", "6. Root cause analysis", "Sources"} <= set(headings)
    sla_tables = [t for t in doc.tables if [c.text for c in t.rows[0].cells][:3] == ["Metric", "Target", "Actual"]]
    assert sla_tables and [c.text for c in sla_tables[0].rows[1].cells][:4] == [
        "Email Response Time", "≥ 95%", "93.00% (930 of 1,000)", "missed by 2.00 percentage points"]
    assert any(p.text.startswith("[1] ") for p in doc.paragraphs)  # the citation list


def test_bpo_agent_drafts_never_quote_contracts(drafts, files):
    agent = as_role("bpo_agent")
    incident = load_incident(INCIDENT_FILE)
    for make in (drafts.escalation, drafts.rca):
        draft = make(incident, agent, metrics=files.missed)
        assert draft.citations and all(c.source.startswith("runbooks/") for c in draft.citations)
        assert CONTRACT_UNAVAILABLE in draft.markdown and CONTRACT_UNAVAILABLE in draft.warnings
        assert draft.sla == [] and "monthly email fees" not in draft.markdown
        if draft.kind == "escalation":
            assert draft.email.to[0].startswith("Aisha Okonjo")  # the matrix is a runbook: still readable


def test_garbage_metrics_give_a_clear_error_listing_rows(drafts):
    text = MetricsText("created_at,resolved_at\n" + "2025-10-02T00:00:00Z,2025-10-02T01:00:00Z\n" * 5 + "garbage,rows\n" * 3)
    with pytest.raises(MetricsError) as err:
        drafts.rca(load_incident(INCIDENT_FILE), COORDINATOR, metrics=text)
    assert "3 of 8 rows" in err.value.message and "row 7:" in err.value.message and "row 9:" in err.value.message


def test_sla_alone_reads_the_contract_schedule(drafts, files):
    report = drafts.sla(SOW, files.met, COORDINATOR)
    (r,) = report.results
    assert (r.metric, r.actual, r.met) == ("Email Response Time", 96.0, True)
    assert r.citation.source == SOW and "≥ 95%" in r.citation.quote
    with pytest.raises(NotFound):
        drafts.sla(SOW, files.met, as_role("bpo_agent"))


class ScriptedModel:
    """A chat model whose reply cites the evidence passage holding a phrase, plus an invented citation."""

    def __init__(self, phrase: str):
        self.phrase = phrase
        self.calls = 0

    def invoke(self, messages):
        self.calls += 1
        user = messages[-1].content
        index = next(n for n, body in re.findall(r'<document index="(\d+)"[^\n]*\n(.*?)\n</document>', user, re.S)
                     if self.phrase in body)
        reply = (f'The runbook says to "{self.phrase}" [{index}]. '
                 f"The vendor also ignored a rule that does not exist [{int(index) + 500}].")
        return SimpleNamespace(content=reply)


def test_llm_prose_is_kept_only_where_verified(drafts, drafting_service, monkeypatch):
    model = ScriptedModel("Page and notify the people listed in Section 4 for that severity")
    monkeypatch.setattr(drafting_service.answerer, "chat_model", model)
    draft = drafts.rca(load_incident(INCIDENT_FILE), COORDINATOR)
    assert model.calls == 1 and draft.mode == "llm"
    runbook = next(s for s in draft.sections if s.key.startswith("what-the-runbook"))
    assert re.match(r'The runbook says to "Page and notify the people listed in Section 4 for that severity" \[\d+\]\.',
                    runbook.markdown)
    assert "does not exist" not in draft.markdown
    assert any("Dropped an unsupported sentence" in w and "does not exist" in w for w in draft.warnings)
    check_citations(drafting_service, draft)


def test_llm_escalation_paragraph_is_verified_too(drafts, drafting_service, files, monkeypatch):
    model = ScriptedModel("Do not rely on email or chat alone for SEV-1 or SEV-2 incidents")
    monkeypatch.setattr(drafting_service.answerer, "chat_model", model)
    draft = drafts.escalation(load_incident(INCIDENT_FILE), COORDINATOR, metrics=files.met)
    assert draft.mode == "llm" and 'The runbook says to "Do not rely on email or chat alone' in draft.markdown
    assert "does not exist" not in draft.markdown
    check_citations(drafting_service, draft)


def test_without_metrics_the_draft_states_the_target_and_leaves_adherence_to_confirm(drafts):
    draft = drafts.escalation(load_incident(INCIDENT_FILE), COORDINATOR)
    assert draft.sla == []
    assert "**Email Response Time**: target ≥ 95% (within 24 hours), measured per Calendar month [" in draft.markdown
    assert "Adherence for the period: to confirm (no metrics file was given)." in draft.markdown


def test_a_contract_that_is_not_indexed_is_named_not_blamed_on_the_role(drafts):
    incident = load_incident(INCIDENT_FILE).model_copy(update={"contract": "contracts/no-such-sow.docx"})
    draft = drafts.rca(incident, COORDINATOR)
    assert "'contracts/no-such-sow.docx' named in the incident is not among the indexed documents" in draft.markdown
    assert CONTRACT_UNAVAILABLE not in draft.markdown


def test_metrics_for_the_wrong_month_are_no_data_not_a_met_service_level(drafts, tmp_path):
    september = tickets_csv(tmp_path / "sept.csv", 990, 10, start=datetime(2025, 9, 1, tzinfo=timezone.utc))
    draft = drafts.escalation(load_incident(INCIDENT_FILE), COORDINATOR, metrics=september)
    (sla,) = draft.sla
    assert (sla.status, sla.met, sla.credit) == ("no_data", None, None)
    assert "no service credit applies" not in draft.markdown and "not missed" not in draft.markdown
    assert "the metrics file has no data for it" in draft.markdown
    assert draft.sla_report.rows_outside_window == 1000 and "1000 row(s) fall outside October 2025" in " ".join(
        draft.sla_report.notes)
