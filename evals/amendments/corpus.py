"""A planted corpus of agreements and the documents that change them, with the questions whose
answers must follow the terms in force. Names, parties and wording are invented for this set and
vary from one family to the next on purpose (the product is checked on documents nobody has seen).

Shapes: clause replaced (DOCX), figure replaced inside a clause + clause deleted (PDF), schedule
replaced + term extended (Markdown), a change not in force until 2031 (text), a restated agreement
(Markdown), a new SOW version (DOCX).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from evals.amendments.writers import write

MSA = """# Master Services Agreement

This Master Services Agreement (the "Agreement") is made on 2 February 2025 between Harbor Freight Analytics Inc., a Delaware corporation ("Customer"), and Quillon Support Services Ltd. ("Supplier").

## 3. Term

3.1 Term. This Agreement begins on 2 February 2025 and continues for an initial term of three (3) years, ending on 1 February 2028 (the "Initial Term").

## 6. Fees and Payment

6.1 Fees. Customer shall pay the Fees set out in each Statement of Work.

6.3 Payment Terms. Customer shall pay each undisputed invoice within forty-five (45) days after receipt.

## 7. Personnel

7.2 Training. Supplier shall train every agent before the agent handles live contacts.

7.4 Offshore Delivery. Supplier may deliver the Services from its centres in Manila and Cebu without Customer's prior consent.

## 12. Termination

12.1 Termination for Cause. Either party may terminate this Agreement if the other party commits a material breach and fails to cure it within thirty (30) days after notice.

12.2 Termination for Convenience. Customer may terminate this Agreement for convenience upon ninety (90) days' prior written notice to Supplier.

12.3 Effect of Termination. On termination Supplier shall return all Customer Data within ten (10) business days.

## Schedule 2 - Service Levels

Email Response Time: Supplier shall respond to 90% of customer emails within 24 hours, measured monthly. If Supplier misses this Service Level in a month, Customer is entitled to a service credit of 5% of the monthly fees.

Chat Answer Time: Supplier shall answer 80% of chats within 60 seconds, measured monthly. Service credit: 3% of the monthly fees.
"""

AMENDMENT_1 = """# Amendment No. 1 to the Master Services Agreement

This Amendment No. 1 is entered into between Harbor Freight Analytics Inc. ("Customer") and Quillon Support Services Ltd. ("Supplier") and amends the Master Services Agreement between them dated 2 February 2025 (the "Agreement"). This Amendment is effective as of 1 October 2025.

1. Clause 12.2 of the Agreement is deleted and replaced with the following:

12.2 Termination for Convenience. Customer may terminate this Agreement for convenience upon thirty (30) days' prior written notice to Supplier.

2. Except as expressly amended by this Amendment, the Agreement remains in full force and effect.
"""

AMENDMENT_2 = """# Second Amendment

THIS SECOND AMENDMENT is made with effect from 1 January 2026 by Harbor Freight Analytics Inc. and Quillon Support Services Ltd. It modifies the Master Services Agreement dated February 2, 2025 between the parties.

The parties agree as follows:

(a) In Section 6.3, the words "forty-five (45) days" are replaced with "sixty (60) days".

(b) Section 7.4 is deleted in its entirety.

All other terms of the Master Services Agreement are unchanged.
"""

AMENDMENT_3 = """# Amendment No. 3 to Master Services Agreement

Parties: Harbor Freight Analytics Inc. and Quillon Support Services Ltd.

This Amendment No. 3 amends the Master Services Agreement dated 2 February 2025. Amendment Effective Date: 1 March 2026.

1. Schedule 2 (Service Levels) to the Agreement is deleted in its entirety and replaced by the Schedule 2 attached to this Amendment No. 3.

2. The Initial Term of the Agreement is extended until 31 December 2029.

3. No other changes are made to the Agreement.

## Schedule 2 - Service Levels

Email Response Time: Supplier shall respond to 95% of customer emails within 12 hours, measured monthly. If Supplier misses this Service Level in a month, Customer is entitled to a service credit of 8% of the monthly fees.

Chat Answer Time: Supplier shall answer 85% of chats within 30 seconds, measured monthly. Service credit: 4% of the monthly fees.
"""

AMENDMENT_4 = """AMENDMENT NO. 4 TO THE MASTER SERVICES AGREEMENT

This Amendment No. 4 amends the Master Services Agreement dated 2 February 2025 between Harbor Freight Analytics Inc. and Quillon Support Services Ltd. It takes effect on 1 January 2031.

1. Section 12.2 is amended to read as follows:

12.2 Termination for Convenience. Customer may terminate this Agreement for convenience upon fifteen (15) days' prior written notice to Supplier.

2. In all other respects the Agreement continues unchanged.
"""

SUPPORT_AGREEMENT = """# Customer Support Agreement

This Customer Support Agreement is dated 5 May 2023 and is between Ostrander Retail LLC ("Client") and Brightline Contact Centers Inc. ("Provider").

1. Services. Provider shall staff the Client's inbound phone queue from 8am to 8pm on business days.

2. Renewal. This Agreement renews automatically for successive one (1) year terms unless either party gives written notice of non-renewal at least one hundred twenty (120) days before the end of the then-current term.

3. Audit. Client may audit Provider's records once per calendar year on fifteen (15) business days' notice.
"""

RESTATED = """# Amended and Restated Customer Support Agreement

This Amended and Restated Customer Support Agreement is effective as of 1 July 2025 between Ostrander Retail LLC ("Client") and Brightline Contact Centers Inc. ("Provider"). It amends and restates in its entirety the Customer Support Agreement dated 5 May 2023 between the parties.

1. Services. Provider shall staff the Client's inbound phone and chat queues from 7am to 10pm every day.

2. Renewal. This Agreement renews automatically for successive one (1) year terms unless either party gives written notice of non-renewal at least sixty (60) days before the end of the then-current term.

3. Audit. Client may audit Provider's records twice per calendar year on ten (10) business days' notice.
"""

SOW_V1 = """# Statement of Work No. 7 - Returns Desk

This Statement of Work No. 7 is issued under the Master Services Agreement between Harbor Freight Analytics Inc. and Quillon Support Services Ltd.

1. Scope. Supplier shall process customer return requests received by email and web form.

2. Staffing. Supplier shall staff twelve (12) dedicated agents on the returns desk.

3. Turnaround. Supplier shall complete 90% of return requests within 3 business days.
"""

SOW_V2 = """# Statement of Work No. 7 - Returns Desk - Version 2

This Statement of Work No. 7 (Version 2) is issued under the Master Services Agreement between Harbor Freight Analytics Inc. and Quillon Support Services Ltd. and is effective as of 1 April 2026.

1. Scope. Supplier shall process customer return requests received by email, web form and chat.

2. Staffing. Supplier shall staff eighteen (18) dedicated agents on the returns desk.

3. Turnaround. Supplier shall complete 95% of return requests within 2 business days.
"""

FILES: dict[str, str] = {
    "contracts/harbor-quillon-msa.md": MSA,
    "contracts/harbor-quillon-amendment-1.docx": AMENDMENT_1,
    "contracts/harbor-quillon-second-amendment.pdf": AMENDMENT_2,
    "contracts/harbor-quillon-amendment-3.md": AMENDMENT_3,
    "contracts/harbor-quillon-amendment-4.txt": AMENDMENT_4,
    "contracts/ostrander-support-agreement.md": SUPPORT_AGREEMENT,
    "contracts/ostrander-support-agreement-restated.md": RESTATED,
    "contracts/sow-7-returns-desk.docx": SOW_V1,
    "contracts/sow-7-returns-desk-v2.docx": SOW_V2,
}


class Case(BaseModel):
    """A question whose answer must state `expect` (any of them), cite `cites` and not present `stale`."""

    shape: str
    question: str
    as_of: str
    expect: list[str]
    cites: str  # the source the answer must cite (the amending document)
    stale: list[str] = []  # words of the superseded text that must not be quoted as current


CASES = [
    Case(shape="clause replaced", question="How many days of notice does Customer need to give to terminate the Master Services Agreement for convenience?",
         as_of="2026-06-01", expect=["thirty (30) days"], cites="contracts/harbor-quillon-amendment-1.docx", stale=["ninety (90) days' prior"]),
    Case(shape="figure replaced", question="Within how many days must Harbor Freight pay an undisputed invoice?",
         as_of="2026-06-01", expect=["sixty (60) days"], cites="contracts/harbor-quillon-second-amendment.pdf", stale=["within forty-five (45) days after"]),
    Case(shape="clause deleted", question="May Quillon deliver the services from Manila and Cebu without consent?",
         as_of="2026-06-01", expect=["deleted"], cites="contracts/harbor-quillon-second-amendment.pdf", stale=["from its centres in Manila"]),
    Case(shape="schedule replaced", question="What percentage of customer emails must Quillon respond to and within how many hours?",
         as_of="2026-06-01", expect=["95%", "12 hours"], cites="contracts/harbor-quillon-amendment-3.md", stale=["90% of customer emails within 24"]),
    Case(shape="term extended", question="When does the initial term of the Harbor Freight Master Services Agreement end?",
         as_of="2026-06-01", expect=["31 December 2029"], cites="contracts/harbor-quillon-amendment-3.md", stale=["ending on 1 February 2028"]),
    Case(shape="restated agreement", question="How many days before the end of the term must Ostrander or Brightline give notice of non-renewal?",
         as_of="2026-06-01", expect=["sixty (60) days"], cites="contracts/ostrander-support-agreement-restated.md", stale=["one hundred twenty (120) days"]),
    Case(shape="new SOW version", question="How many dedicated agents must staff the returns desk under Statement of Work No. 7?",
         as_of="2026-06-01", expect=["eighteen (18)"], cites="contracts/sow-7-returns-desk-v2.docx", stale=["twelve (12) dedicated"]),
    Case(shape="before the amendment", question="How many days of notice does Customer need to give to terminate the Master Services Agreement for convenience?",
         as_of="2025-06-01", expect=["ninety (90) days"], cites="contracts/harbor-quillon-msa.md", stale=["thirty (30) days' prior", "fifteen (15) days"]),
]


def write_corpus(root: Path) -> Path:
    """Write every planted document under `root` (formats by suffix); returns `root`."""
    for rel, text in FILES.items():
        write(root, rel, text)
    return root
