"""Planted SOP/contract pairs for the conflict check: eleven that disagree (time limits, a rate,
amounts, a frequency, a notice period, a channel; looser and stricter) and two that agree (must
not be reported). Invented parties and wording, two contracts (PDF, DOCX) and two SOPs (Markdown,
DOCX)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from evals.amendments.writers import write

AGREEMENT = """# Customer Care Services Agreement

This Customer Care Services Agreement is made on 3 March 2025 between Calloway Outdoor Gear Inc. ("Customer") and Tessellate CX Ltd. ("Supplier").

## 5. Service Levels

5.1 Email Handling. Supplier shall respond to customer emails within 24 hours of receipt.

5.2 Call Answering. Supplier shall answer 85% of inbound calls within 30 seconds.

5.3 Call Abandonment. The monthly call abandonment rate shall not exceed 5% of inbound calls.

## 6. Security

6.2 Incident Notification. Supplier shall notify Customer of any security incident affecting Customer Data within 24 hours of discovery.

## 7. Refunds

7.1 Refund Approval. Refunds above USD 250 require Customer's prior written approval before the refund is issued to the shopper.

## 8. Quality

8.1 Calibration. Supplier shall hold quality calibration sessions with Customer weekly to align scoring of sampled contacts.
"""

SOW = """# Statement of Work No. 2 - Technical Support Desk

This Statement of Work is issued under the Customer Care Services Agreement between Calloway Outdoor Gear Inc. and Tessellate CX Ltd.

## 9. Data

9.2 Data Deletion. Supplier shall delete all Customer Data held in its CRM within thirty (30) days after termination of this SOW.

## 10. Personnel

10.1 Key Personnel. Supplier shall give Customer at least thirty (30) days' written notice of any change to Key Personnel on the support desk.

## 11. Escalation

11.1 Priority 1 Complaints. Supplier shall escalate Priority 1 complaints to Customer's duty manager by telephone.

## 12. Resolution

12.1 Tier 2 Tickets. Supplier shall resolve 90% of Tier 2 support tickets within 3 business days.

12.2 Chat. Supplier shall send the first response to 90% of customer chats within 60 seconds.

12.3 Reporting. Supplier shall deliver a monthly performance report to Customer covering every service level.
"""

SOP_CARE = """# Customer Care SOP - Calloway Account

Standard operating procedure for the Tessellate customer care team on the Calloway account.

## 1. Email

Reply to every customer email within 48 hours of receipt.

## 2. Calls

Answer 85% of inbound calls within 30 seconds.

Keep the monthly call abandonment rate below 8% of inbound calls.

## 3. Security Incidents

Report any security incident affecting customer data to Calloway within 72 hours of discovery.

## 4. Refunds

Agents may issue refunds of up to USD 500 to a shopper without approval from Calloway.

## 5. Calibration

Quality calibration sessions with Calloway are held monthly to align scoring of sampled contacts.
"""

SOP_DESK = """# Support Desk SOP

Tessellate technical support desk, Calloway account.

## Offboarding

Delete all customer data held in the CRM within ninety (90) days after termination.

## Staffing changes

Give Calloway seven (7) days' notice before any change to key personnel on the support desk.

## Complaints

Escalate Priority 1 complaints to the Calloway duty manager by email.

## Tickets

Resolve 95% of Tier 2 support tickets within 2 business days.

Send the first response to 90% of customer chats within 2 minutes.

## Reporting

Send the monthly performance report to Calloway covering every service level.
"""

FILES = {
    "contracts/calloway-tessellate-care-agreement.pdf": AGREEMENT,
    "contracts/calloway-tessellate-sow-2.docx": SOW,
    "runbooks/calloway-care-sop.md": SOP_CARE,
    "runbooks/support-desk-sop.docx": SOP_DESK,
}


class Pair(BaseModel):
    sop: str  # a phrase of the SOP's sentence
    contract: str  # a phrase of the contract's sentence
    kind: str | None  # the kind expected; None: the two agree and must not be reported


PAIRS = [
    Pair(sop="within 48 hours of receipt", contract="within 24 hours of receipt", kind="sop_looser"),
    Pair(sop="below 8%", contract="shall not exceed 5%", kind="sop_looser"),
    Pair(sop="within 72 hours of discovery", contract="within 24 hours of discovery", kind="sop_looser"),
    Pair(sop="up to USD 500", contract="above USD 250", kind="sop_looser"),
    Pair(sop="are held monthly", contract="with Customer weekly", kind="sop_looser"),
    Pair(sop="within ninety (90) days after termination", contract="within thirty (30) days after termination", kind="sop_looser"),
    Pair(sop="seven (7) days' notice", contract="thirty (30) days' written notice", kind="sop_looser"),
    Pair(sop="duty manager by email", contract="duty manager by telephone", kind="different_channel"),
    Pair(sop="within 2 business days", contract="within 3 business days", kind="sop_stricter"),
    Pair(sop="within 2 minutes", contract="within 60 seconds", kind="sop_looser"),
    Pair(sop="Answer 85% of inbound calls within 30 seconds", contract="answer 85% of inbound calls within 30 seconds", kind=None),
    Pair(sop="monthly performance report", contract="monthly performance report", kind=None),
]


def write_corpus(root: Path) -> Path:
    for rel, text in FILES.items():
        write(root, rel, text)
    return root


def score(conflicts: list) -> dict:
    """Found / missed planted conflicts, agreeing pairs reported, and anything else reported."""
    def matches(c, pair: Pair) -> bool:
        sop, con = c.items[0].quote, c.items[1].quote
        return pair.sop.lower() in sop.lower() and pair.contract.lower() in con.lower()

    planted = [p for p in PAIRS if p.kind]
    found = [p for p in planted if any(matches(c, p) for c in conflicts)]
    right_kind = [p for p in planted if any(matches(c, p) and c.kind == p.kind for c in conflicts)]
    agreeing_reported = [p for p in PAIRS if not p.kind and any(matches(c, p) for c in conflicts)]
    other = [c for c in conflicts if not any(matches(c, p) for p in PAIRS)]
    return {"planted": len(planted), "found": len(found), "right_kind": len(right_kind),
            "agreeing_reported": len(agreeing_reported), "unplanted_reported": len(other)}
