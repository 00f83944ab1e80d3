"""Contracts and metrics of our own for the scorecard tests: a master agreement and a SOW between
an insurer and a claims vendor (other party names, other metrics, other clause wordings than the
bundled sample), plus an unrelated agreement whose rules must not be applied to them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

MSA = """# Master Services Agreement

This Master Services Agreement is made between Meridian Mutual Insurance Company ("Client") and Harbor Claims Services LLC ("Service Provider").

## 11. Service Level Failures

11.1 Measurement. Each Service Level is measured for each calendar month (a "Measurement Period").

11.2 Persistent Service Failure. A "Persistent Service Failure" occurs if the Service Provider fails to achieve the same Service Level in two (2) consecutive Measurement Periods, or fails to achieve one or more Service Levels in four (4) of the last six (6) Measurement Periods.

11.3 Consequences. On a Persistent Service Failure the Client may terminate this Agreement, in whole or in part, for cause by giving thirty (30) days' written notice to the Service Provider.

## 15. Notices

15.1 Notices under this Agreement shall be in writing and delivered by courier or email to the addresses in Schedule 1.
"""

SOW = """# Statement of Work No. 3: Claims Intake

This Statement of Work is issued under the Master Services Agreement between Meridian Mutual Insurance Company ("Client") and Harbor Claims Services LLC ("Service Provider").

## 4. Service Levels

4.1 The Service Provider shall meet the Service Levels below in every Measurement Period.

| Service Level | Description | Target | Service Credit |
|---|---|---|---|
| Claim Acknowledgement Time | Share of new claims acknowledged within 4 hours of receipt | ≥ 92% of claims within 4 hours | 4% of monthly intake fees |
| Data Entry Accuracy | Share of audited claim records with no keying error | ≥ 97% | 3% of monthly intake fees |
| Call Abandonment | Share of offered calls abandoned after 10 seconds | ≤ 6% | 2% of monthly contact fees |

4.2 Credit Cap. The aggregate Service Credits in any month shall not exceed ten percent (10%) of the total monthly fees.

4.3 Credit Waiver. Any Service Credit for a missed Service Level is waived if the Service Provider meets that Service Level in each of the following two (2) Measurement Periods.

4.4 Root Cause. The Service Provider shall deliver a root cause analysis within three (3) Business Days of any missed Service Level.
"""

UNRELATED = """# Outsourcing Agreement

This Outsourcing Agreement is made between Northwind Traders Ltd ("Customer") and Blue Heron Staffing Inc ("Supplier").

7.1 Chronic Failure. If the Supplier fails any Service Level in a single month, a "Chronic Failure" occurs and the Customer may terminate immediately.
"""

FILES = {
    "contracts/meridian-harbor-master-agreement.md": MSA,
    "contracts/meridian-harbor-sow-claims-intake.md": SOW,
    "contracts/northwind-blue-heron-outsourcing.md": UNRELATED,
}
SOW_SOURCE = "contracts/meridian-harbor-sow-claims-intake.md"
FEES = {"intake": 50000, "contact": 30000, "total": 80000}

# Acknowledged within 4 h, of 100 claims a month: Feb and Mar missed (a persistent failure in March).
ACK_WITHIN = {"2025-01": 95, "2025-02": 88, "2025-03": 90, "2025-04": 96, "2025-05": 97, "2025-06": 94}
# Wide monthly figures: accuracy missed in March (then met twice: waived); abandonment missed in April,
# met in May, not reported in June (the waiver is pending).
WIDE = """Month,Data Entry Accuracy,Call Abandonment
Jan 2025,98.2,5.1
Feb 2025,97.4,5.5
Mar 2025,96.1,4.9
Apr 2025,98.0,7.2
May 2025,97.9,5.0
Jun 2025,98.5,not reported
"""


def tickets_csv() -> str:
    lines = ["claim_id,queue,received,acknowledged"]
    for month, within in ACK_WITHIN.items():
        start = datetime(int(month[:4]), int(month[5:]), 1, 6, tzinfo=timezone.utc)
        for i in range(100):
            created = start + timedelta(hours=6 * i)
            done = created + timedelta(hours=1 if i < within else 9)
            lines.append(f"CLM-{month}-{i:03d},Claim Acknowledgement Time,{created.isoformat()},{done.isoformat()}")
    return "\n".join(lines) + "\n"


TICKET_MAP = {"id": "claim_id", "metric": "queue", "created_at": "received", "resolved_at": "acknowledged"}
