"""Documents of our own for the contract page: two families, each a contract with an SLA table,
a document that amends it and an SOP whose instruction contradicts it. Party names, clause numbers
and wordings differ between the families (and from the bundled sample) on purpose: the page must
work on contracts it has never seen."""

from __future__ import annotations

# Family 1: a SOW in Markdown, amended by a numbered amendment (clause replaced, clause deleted,
# clause added), and a care SOP that allows longer than the SOW promises.
SOW_1 = """# Statement of Work No. 4: Pet Care Helpline

This Statement of Work is made on 14 April 2025 between Ferncliff Pet Supplies Inc. ("Client") and Norvale Outsourcing Ltd. ("Vendor") under the Master Services Agreement between them.

## 3. Service Levels

3.1 The Vendor shall meet the Service Levels below in every calendar month.

| Service Level | Description | Target | Service Credit |
|---|---|---|---|
| Email Reply Time | Share of customer emails answered on time (clause 5.1) | ≥ 93% | 5% of monthly helpline fees |
| Order Accuracy | Share of audited orders keyed with no error | ≥ 98% | 2% of monthly helpline fees |

3.2 Persistent Failure. A "Persistent Failure" occurs if the Vendor fails to achieve the same Service Level in two (2) consecutive months, and the Client may then terminate this Statement of Work by giving fifteen (15) days' written notice.

3.3 Root Cause. The Vendor shall deliver a root cause analysis within five (5) Business Days of any missed Service Level.

## 5. Email Handling

5.1 Email Replies. The Vendor shall respond to customer emails within 24 hours of receipt.

## 6. Helpline Hours

6.1 Weekend Cover. The Vendor shall staff the helpline on Saturdays from 9am to 1pm.

## 8. Termination

8.1 Termination for Convenience. The Client may terminate this Statement of Work for convenience upon sixty (60) days' prior written notice to the Vendor.
"""

AMENDMENT_1 = """# Amendment No. 1 to Statement of Work No. 4

This Amendment No. 1 is entered into between Ferncliff Pet Supplies Inc. ("Client") and Norvale Outsourcing Ltd. ("Vendor") and amends Statement of Work No. 4: Pet Care Helpline between them dated 14 April 2025 (the "SOW"). This Amendment is effective as of 1 September 2025.

1. Clause 8.1 of the SOW is deleted and replaced with the following:

8.1 Termination for Convenience. The Client may terminate this Statement of Work for convenience upon twenty (20) days' prior written notice to the Vendor.

2. Clause 6.1 of the SOW is deleted in its entirety.

3. Except as expressly amended by this Amendment, the SOW remains in full force and effect.
"""

SOP_1 = """# Helpline Playbook - Ferncliff Account

How the Norvale helpline team works the Ferncliff queues.

## 1. Email handling

Respond to customer emails within 72 hours of receipt.

## 2. Orders

Key each order exactly as the customer gives it and read it back.
"""

# Family 2: an agreement whose service levels are written as prose, changed by a "First
# Amendment" that rewrites a figure, and a runbook with a stricter and a looser instruction.
AGREEMENT_2 = """# Claims Processing Agreement

This Claims Processing Agreement is dated 3 February 2025 and is between Quarrybank Mutual plc ("Insurer") and Tilbrook Data Services LLC ("Processor").

## 6. Fees

6.2 Invoices. The Insurer shall pay each undisputed invoice within thirty (30) days after receipt.

## 9. Security

9.1 Breach Notice. The Processor shall notify the Insurer of any security incident affecting Insurer Data within 24 hours of discovery.

## 11. Term

11.1 Term. This Agreement begins on 3 February 2025 and continues for an initial term of two (2) years.
"""

AMENDMENT_2 = """# First Amendment

THIS FIRST AMENDMENT is made with effect from 1 March 2026 by Quarrybank Mutual plc and Tilbrook Data Services LLC. It modifies the Claims Processing Agreement dated February 3, 2025 between the parties.

The parties agree as follows:

(a) In Section 6.2, the words "thirty (30) days" are replaced with "forty-five (45) days".

All other terms of the Claims Processing Agreement are unchanged.
"""

RUNBOOK_2 = """# Tilbrook Security Runbook

## Incident handling

Tell Quarrybank about any security incident affecting insurer data within 96 hours of discovery.
"""

FILES = {
    "contracts/ferncliff-norvale-sow-4.md": SOW_1,
    "contracts/ferncliff-norvale-sow-4-amendment-1.md": AMENDMENT_1,
    "runbooks/ferncliff-helpline-playbook.md": SOP_1,
    "contracts/quarrybank-tilbrook-claims-agreement.md": AGREEMENT_2,
    "contracts/quarrybank-tilbrook-first-amendment.md": AMENDMENT_2,
    "runbooks/tilbrook-security-runbook.md": RUNBOOK_2,
}
SOW_1_SOURCE = "contracts/ferncliff-norvale-sow-4.md"
AGREEMENT_2_SOURCE = "contracts/quarrybank-tilbrook-claims-agreement.md"

# Monthly figures, wide: Email Reply Time missed in May and June (a persistent failure in June).
# The extra column's name is hostile markup: it matches no service level and is reported as such.
HOSTILE_METRIC = '<img src=x onerror="window.__xss=7">Reply<script>window.__xss=8</script>'
METRICS_CSV = f"""Month,Email Reply Time,Order Accuracy,"{HOSTILE_METRIC.replace('"', '""')}"
Mar 2025,95.0,98.6,1
Apr 2025,94.1,98.9,1
May 2025,90.2,98.3,1
Jun 2025,91.7,97.1,1
"""
HOSTILE_FILE_NAME = '<svg onload="window.__xss=9">metrics.csv'
