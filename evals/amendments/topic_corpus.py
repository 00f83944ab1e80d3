"""Amendments that name no clause number, in several wordings and formats, over three contract
families: each change is either tied to the one clause it is about (and applied) or, when more than
one clause could be meant or none matches, left unapplied and reported. Names, parties and wording
are invented for this set.

Families: a services agreement (Markdown) changed by a DOCX amendment; a SOW with headed sections
and no clause numbers (PDF) changed by a PDF change order; an outsourcing agreement with lettered
schedules (DOCX) changed by a Markdown addendum.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from evals.amendments.writers import write

SERVICES_AGREEMENT = """# Services Agreement

This Services Agreement is dated 1 March 2024 and is made between Meridian Health Partners LLC ("Customer") and Tessaline Contact Solutions Inc. ("Supplier").

2. Term

2.1 Duration. This Agreement starts on 1 March 2024 and ends on 28 February 2027 unless terminated earlier.

4. Fees and Invoices

4.2 Invoices. Customer shall pay each correct invoice within thirty (30) days after receipt.

9. Termination

9.1 Termination for Cause. Either party may terminate this Agreement if the other party fails to cure a material breach within twenty (20) days after written notice of it.

9.2 Termination for Convenience. Customer may terminate this Agreement for convenience by giving Supplier one hundred twenty (120) days' written notice.

9.3 Non-Renewal. Either party may prevent any extension of this Agreement by written notice given at least sixty (60) days before the end date.

11. Limitation of Liability

11.1 Cap. Each party's total liability under this Agreement is limited to USD 2,000,000.
"""

SERVICES_AMENDMENT = """# First Amendment to Services Agreement

This First Amendment is made between Meridian Health Partners LLC and Tessaline Contact Solutions Inc. and amends the Services Agreement dated 1 March 2024 between them. This Amendment is effective as of 1 September 2025.

The parties agree as follows:

1. The notice period for termination for convenience is now sixty (60) days.

2. The cap on liability is increased from USD 2,000,000 to USD 3,000,000.

3. The notice period is now fifteen (15) days.

4. The Term is extended to 31 December 2027.

5. Except as set out above, the Services Agreement continues unchanged.
"""

SOW = """# Statement of Work for Tier 1 Support

This Statement of Work is dated 3 March 2025 and is made between Lindqvist Outdoor AB ("Client") and Corvane BPO Ltd ("Vendor").

## Email Handling

Vendor shall send a first response to every customer email within 24 hours.

## Ticket Handling

Vendor shall send a first response to every web ticket within 8 hours.

## Service Credits

If Vendor misses a service level in a month, Client is entitled to a credit of four percent (4%) of the monthly fees for the affected service.

## Weekend Coverage

Vendor shall staff the email queue on Saturdays and Sundays from 9am to 5pm.

## Fees

The fees for this Statement of Work are set out in the pricing annex.
"""

SOW_CHANGE_ORDER = """# Change Order No. 2

This Change Order No. 2 amends the Statement of Work for Tier 1 Support dated 3 March 2025 between Lindqvist Outdoor AB and Corvane BPO Ltd. It is effective as of 1 July 2025.

1. The section titled "Service Credits" is amended so that the credit for each missed service level is six percent (6%) of the monthly fees for the affected service.

2. The response time is reduced to 4 hours.

3. The section headed "Weekend Coverage" is deleted in its entirety.

4. The section titled "Holiday Coverage" is amended so that the premium is 15%.

All other terms of the Statement of Work remain in effect.
"""

OUTSOURCING = """# Outsourcing Agreement

This Outsourcing Agreement is entered into on 10 January 2024 between Palisade Mutual Insurance Co. ("Client") and Orvik Process Services GmbH ("Provider").

1. Services. Provider shall run the Client's claims intake desk.

5. Payment. Client shall pay Provider's invoices within forty-five (45) days of receipt.

8. Fees. Part A. The fee for claims intake is USD 12 per claim.

8A. Fees. Part B. The fee for document indexing is USD 3 per document.

## Schedule B - Service Levels

Claims Email Response: Provider shall respond to 95% of claimant emails within 2 business days, measured monthly.

Claims Call Answer: Provider shall answer 85% of claimant calls within 30 seconds, measured monthly.
"""

OUTSOURCING_ADDENDUM = """# Addendum No. 1

This Addendum No. 1 supplements the Outsourcing Agreement dated 10 January 2024 between Palisade Mutual Insurance Co. and Orvik Process Services GmbH. It takes effect on 1 February 2026.

1. Schedule 3 (Service Levels) is replaced by the Schedule 3 attached to this Addendum.

2. Client's payment period is reduced to thirty (30) days.

3. The fee is increased to USD 14.

No other changes are made.

## Schedule 3 - Service Levels

Claims Email Response: Provider shall respond to 98% of claimant emails within 1 business day, measured monthly.

Claims Call Answer: Provider shall answer 90% of claimant calls within 20 seconds, measured monthly.
"""

FILES: dict[str, str] = {
    "contracts/meridian-tessaline-services-agreement.md": SERVICES_AGREEMENT,
    "contracts/meridian-tessaline-first-amendment.docx": SERVICES_AMENDMENT,
    "contracts/lindqvist-corvane-sow.pdf": SOW,
    "contracts/lindqvist-corvane-change-order-2.pdf": SOW_CHANGE_ORDER,
    "contracts/palisade-orvik-outsourcing.docx": OUTSOURCING,
    "contracts/palisade-orvik-addendum-1.md": OUTSOURCING_ADDENDUM,
}


class TopicCase(BaseModel):
    """One change of an amendment: `applied` is the clause it must be tied to (its number or
    heading, as the link reports it) and `old` words of the text it supersedes; `applied=""` means
    it must NOT be applied (ambiguous or nowhere to be found) and be reported instead."""

    amendment: str
    wording: str  # words of the instruction (to find it among the amendment's changes)
    applied: str = ""
    old: str = ""


CASES = [
    TopicCase(amendment="contracts/meridian-tessaline-first-amendment.docx", wording="termination for convenience", applied="9.2",
              old="one hundred twenty (120) days"),
    TopicCase(amendment="contracts/meridian-tessaline-first-amendment.docx", wording="cap on liability", applied="11.1", old="USD 2,000,000"),
    TopicCase(amendment="contracts/meridian-tessaline-first-amendment.docx", wording="notice period is now fifteen"),
    TopicCase(amendment="contracts/meridian-tessaline-first-amendment.docx", wording="Term is extended", applied="term", old="28 February 2027"),
    TopicCase(amendment="contracts/lindqvist-corvane-change-order-2.pdf", wording="Service Credits", applied="Service Credits", old="4%"),
    TopicCase(amendment="contracts/lindqvist-corvane-change-order-2.pdf", wording="response time is reduced"),
    TopicCase(amendment="contracts/lindqvist-corvane-change-order-2.pdf", wording="Weekend Coverage", applied="Weekend Coverage",
              old="Saturdays and Sundays"),
    TopicCase(amendment="contracts/lindqvist-corvane-change-order-2.pdf", wording="Holiday Coverage"),
    TopicCase(amendment="contracts/palisade-orvik-addendum-1.md", wording="Schedule 3 (Service Levels)", applied="Schedule B - Service Levels",
              old="95% of claimant emails within 2 business days"),
    TopicCase(amendment="contracts/palisade-orvik-addendum-1.md", wording="payment period", applied="5", old="forty-five (45) days"),
    TopicCase(amendment="contracts/palisade-orvik-addendum-1.md", wording="fee is increased"),
]


def write_corpus(root: Path) -> Path:
    for rel, text in FILES.items():
        write(root, rel, text)
    return root


def _instruction(change, amendment_text: str) -> str:
    return " ".join(amendment_text[change.start : change.end].split())


def score(service, caller) -> dict:
    """Each case against what the service tied (`in_force.supersessions`) or left unapplied
    (`in_force.unlinked`): right clause and old text, or not applied and reported."""
    collections = service.access.readable(caller)
    tied = service.in_force.supersessions(collections)
    loose = service.in_force.unlinked(collections)
    rows = []
    for case in CASES:
        wording = " ".join(case.wording.split()).lower()
        hits = [s for s in tied if s.amendment.source == case.amendment and s.base.source != case.amendment
                and wording in _instruction(s.change, s.amendment.text).lower()]
        misses = [u for u in loose if u.amendment.source == case.amendment and wording in _instruction(u.change, u.amendment.text).lower()]
        if case.applied:
            ok = len(hits) == 1 and (hits[0].change.target or "term") == case.applied and case.old.lower() in " ".join(
                hits[0].base.text[hits[0].start : hits[0].end].split()).lower() and not misses
        else:
            ok = not hits and len(misses) == 1 and "may change" in misses[0].what()
        rows.append({"amendment": case.amendment.rsplit("/", 1)[-1], "wording": case.wording, "expected": case.applied or "not applied",
                     "tied_to": [s.change.target for s in hits], "reported": [u.reason for u in misses], "pass": ok})
    applied = [r for r, c in zip(rows, CASES) if c.applied]
    held = [r for r, c in zip(rows, CASES) if not c.applied]
    return {"cases": rows, "applied_right": sum(r["pass"] for r in applied), "applied_total": len(applied),
            "held_back_right": sum(r["pass"] for r in held), "held_back_total": len(held)}
