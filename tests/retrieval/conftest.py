"""Small invented corpora for the hybrid-retrieval tests, ingested once per module into real
Chroma (a temp data dir) with the session's real embedding model and real BM25 indexes.

All text here is written for these tests. Paths decide the collection (config.yaml):
contracts/** -> contracts, runbooks/** -> runbooks (runbooks/**/*sop* are doc_type sop),
anything else -> restricted (admin only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import admin, build_service, write_files

# --------------------------------------------------------------------------------------------
# Corpus 1: a help-desk / BPO mix for fusion and filters (13 documents, ~35 chunks).
# --------------------------------------------------------------------------------------------

MIXED_DOCS: dict[str, str] = {
    "runbooks/account-access-runbook.md": """# Account Access Runbook

## Lost credentials
When a colleague has forgotten their passphrase and is locked out of the workstation, open the
identity console, confirm the employee badge number against the HR roster and issue a one-time
sign-in link that expires after fifteen minutes.

## Authenticator phone replaced
If the authenticator phone was replaced, revoke the old device in the identity console before
enrolling the new one. Never enrol a device over chat.

## Desktop client error
Agents who see error KB0042137 on the desktop client must clear the cached profile folder and
reboot; the ticket is closed as a client fix.
""",
    "runbooks/printer-outage-runbook.md": """# Floor Printer Outage Runbook

## Symptoms
The floor printer shows a red light, jobs pile up in the print queue and nothing comes out.

## Recovery
Power-cycle the printer, clear the print queue from the print server and replace the toner
cartridge if the display asks for it. Use the spare printer on level two meanwhile.
""",
    "runbooks/vpn-runbook.md": """# Remote VPN Runbook

## Tunnel keeps dropping
Home agents whose tunnel drops every few minutes should switch from Wi-Fi to a cable and
update the VPN client. Check that the device certificate has not expired.

## Split tunnelling
Split tunnelling stays disabled: all telephony traffic goes through the corporate gateway.
""",
    "runbooks/queue-backlog-runbook.md": """# Inbound Queue Backlog Runbook

## Trigger
This runbook starts when more than forty calls wait in the inbound queue or the longest wait
passes five minutes.

## Overflow routing
The team lead enables overflow routing to the secondary site and pauses outbound campaigns
until the queue is back under ten waiting calls.
""",
    "runbooks/major-incident-runbook.md": """# Major Incident Runbook

## Severity levels
A severity one incident stops service for every customer; severity two degrades it for many.

## Bridge and updates
The incident commander opens a bridge call within ten minutes and posts a status page update
every thirty minutes until the incident is resolved.
""",
    "runbooks/site-power-runbook.md": """# Site Power Failure Runbook

## Generator start
If mains power fails, the facilities lead confirms that the generator started and that the UPS
carries the switches. Agents stay logged in; calls continue on battery-backed phones.

## Evacuation
If the generator fails as well, agents log out, supervisors take the headcount sheet and the
site follows the fire warden's evacuation route.
""",
    "runbooks/chargeback-sop.md": """# Chargeback Dispute SOP

## Evidence pack
For every chargeback, attach the order confirmation, the delivery scan and the call recording
to the dispute case before the card scheme deadline.

## Deadlines
Disputes are answered within seven calendar days of the chargeback notice.
""",
    "runbooks/refund-approval-sop.md": """# Refund Approval SOP

## Thresholds
Agents may refund up to 50 euros on their own; a team lead approves refunds up to 500 euros;
anything above goes to the finance controller.

## Records
Every refund is logged with the reason code and the approver's initials.
""",
    "runbooks/shift-handover-sop.md": """# Shift Handover SOP

## Handover note
The outgoing team lead writes a handover note listing open escalations, staffing gaps and any
system issues, and reads it aloud to the incoming lead.

## Sign-off
Both leads sign the handover sheet; the note is stored in the shift log.
""",
    "contracts/northwind-msa.md": """# Master Services Agreement between Northwind Outsourcing and Pemberly Retail

## 1. Scope
Northwind Outsourcing provides inbound customer care for Pemberly Retail in English and Spanish.

## 12. Termination
Either party may terminate this Agreement for material breach not cured within thirty days.

## 14. Payment
14.1 Invoices are issued monthly in arrears and paid within forty-five days.

14.2 Late amounts carry interest at two percent above the base rate.

## 14.3 Holdback
Pemberly Retail may retain the Holdback Amount, being five percent of each invoice, until the
quarterly quality review is signed off by both account managers.
""",
    "contracts/fabrikam-sow.md": """# Statement of Work for Fabrikam Travel Support

## Deliverables
The vendor staffs a travel rebooking desk with twelve agents, seven days a week.

## Staffing
Agent attrition above eight percent per quarter triggers a joint recruitment plan.

## Reporting
A weekly dashboard shows handled volume, average handle time and first contact resolution.
""",
    "contracts/contoso-dpa.md": """# Data Processing Addendum with Contoso Insurance

## Subprocessors
The processor may engage subprocessors only with prior written consent of the controller.

## Breach notification
The processor notifies the controller of a personal data breach without undue delay and in any
case within forty-eight hours of becoming aware of it.

## Deletion
At the end of the services the processor deletes or returns all personal data, at the
controller's choice, and certifies the deletion in writing.
""",
    "hr/salary-bands.md": """# Salary Bands

## Agent bands
Band A agents earn the entry rate; band B adds a language premium.

## Lead bands
Team leads are paid on band D with a quarterly bonus tied to quality scores.
""",
}

# The fusion fixture uses small candidate lists (the corpus is small): with the defaults (60)
# every chunk would be in both lists and nothing could be "only lexical" or "only dense".
FUSION_RETRIEVAL = {"dense_candidates": 8, "lexical_candidates": 8}


@dataclass
class Indexed:
    """A service over an ingested corpus plus a map of its chunks for assertions."""

    service: object
    chunks: dict[str, object] = field(default_factory=dict)  # chunk id -> StoredChunk

    @property
    def retriever(self):
        return self.service.retriever

    def ids_of(self, source: str, section: str | None = None) -> list[str]:
        """Chunk ids of `source` (ordered by position), optionally only those whose section path ends with `section`."""
        rows = [c for c in self.chunks.values() if c.meta["source"] == source
                and (section is None or c.meta.get("section_path", "").endswith(section))]
        return [c.id for c in sorted(rows, key=lambda c: c.meta["ordinal"])]

    def the_chunk(self, source: str, section: str) -> str:
        ids = self.ids_of(source, section)
        assert len(ids) == 1, (source, section, ids, sorted({c.meta.get("section_path") for c in self.chunks.values()
                                                              if c.meta["source"] == source}))
        return ids[0]

    def refresh(self) -> None:
        self.chunks = {c.id: c for name in self.service.store.collection_names() for c in self.service.store.iter_all(name)}


def indexed_corpus(tmp_path_factory, embedder, name: str, docs: dict[str, str], **overrides):
    """Body of a module-scoped corpus fixture: write `docs`, ingest them, yield, close."""
    base = tmp_path_factory.mktemp(name)
    indexed = ingest_corpus(base / "home", write_files(base / "corpus", docs), embedder, **overrides)
    yield indexed
    indexed.service.catalog.close()


def ingest_corpus(home: Path, root: Path, embedder, **overrides) -> Indexed:
    svc = build_service(home, embedder, **overrides)
    summary = svc.ingest(root, admin())
    assert not summary.partial, summary
    assert {f.status for f in summary.files} == {"indexed"}, summary
    indexed = Indexed(svc)
    indexed.refresh()
    return indexed


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, embedder):
    yield from indexed_corpus(tmp_path_factory, embedder, "mixed", MIXED_DOCS, retrieval=FUSION_RETRIEVAL)


# --------------------------------------------------------------------------------------------
# Corpus 2: 22 service agreements between invented parties (document routing).
# --------------------------------------------------------------------------------------------

AGREEMENTS = 22  # >= docrouting.MIN_PROFILES_FOR_NAMING
_HEADS = ["Quor", "Vell", "Brann", "Thisk", "Dorv", "Maz", "Plind", "Gorth", "Ystr", "Kelv", "Zund"]
_TAILS = ["wick", "thorpe", "stead", "holm", "gard", "mere", "croft", "wyn"]


def invented_word(i: int) -> str:
    """88 distinct made-up name words (11 heads x 8 tails): rare in any text but their own."""
    return _HEADS[i % len(_HEADS)] + _TAILS[i // len(_HEADS)]


def parties(j: int) -> tuple[str, str]:
    """(provider, client) of agreement j: two invented words each."""
    w = [invented_word(4 * j + n) for n in range(4)]
    return f"{w[0]} {w[1]}", f"{w[2]} {w[3]}"


# Everyday words ("minutes", "total") in the OPENING chunks of exactly one agreement, and in
# the later text (service levels, ordinal >= 2) of many others: rare among profiles, common in text.
EVERYDAY_OPENING_DOC = 5
EVERYDAY_TEXT_DOCS = [0, 2, 4, 7, 9, 12, 14, 17, 19, 21]
# Topic words that only one agreement's opening uses, always in lower case: rare everywhere, yet
# not names, so they don't name that agreement (a runbook's "on-call load and pain").
LOWERCASE_TOPIC_DOC = 8
LOWERCASE_TOPIC = ("After onboarding, every escalated complaint is triaged by the quality desk and closed "
                   "within one fortnight.")
NOTICE_DAYS = {j: 15 + 5 * j for j in range(AGREEMENTS)}  # every agreement's termination period differs


def agreement_source(j: int) -> str:
    return f"contracts/service-agreement-{j:02d}.md"


def agreement_text(j: int) -> str:
    provider, client = parties(j)
    services = ("The Provider shall deliver customer support from its delivery centre as described in the "
                "order form.")
    if j == EVERYDAY_OPENING_DOC:
        services += " Onboarding includes a total of ninety minutes of product training for each agent."
    if j == LOWERCASE_TOPIC_DOC:
        services += " " + LOWERCASE_TOPIC
    if j in EVERYDAY_TEXT_DOCS:
        levels = (f"Priority tickets are acknowledged within {10 + j} minutes, and the total of unanswered "
                  "tickets is reported every week.")
    else:
        levels = "Priority tickets are acknowledged within one business day and reported every week."
    return f"""# Service Agreement {j:02d}

## 1. Parties
This Service Agreement is made between {provider} Ltd ("the Provider") and {client} ("the Client").

## 2. Services
{services}

## 3. Service Levels
{levels}

## 4. Fees
The Client shall pay the monthly fee within thirty days of receiving each invoice. Disputed
amounts are raised in writing before the due date.

## 5. Termination
Either party may terminate this Agreement for convenience by giving {NOTICE_DAYS[j]} days' written
notice to the other party. Notice is effective on receipt.

## 6. Confidentiality
Each party keeps the other's business information confidential during the term and for two
years after it ends.
"""


AGREEMENT_DOCS = {agreement_source(j): agreement_text(j) for j in range(AGREEMENTS)}


@pytest.fixture(scope="module")
def agreements(tmp_path_factory, embedder):
    yield from indexed_corpus(tmp_path_factory, embedder, "agreements", AGREEMENT_DOCS)
