"""The canary corpus for the access-control tests: small documents in three access partitions (plus
files no source rule matches), each holding a unique token and a credential redaction must mask.

Everything here is generated: a config.yaml, the documents, and the facts the tests check against
(which collection each document lands in, which roles may read it, which strings must never
appear anywhere). Nothing is read from samples/ or ../shared.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ADMIN = "admin"
RESTRICTED = "restricted"  # where files matching no rule go (ingest.pipeline.RESTRICTED_COLLECTION)

# collection -> roles, exactly as written to the temp config.yaml
COLLECTION_ROLES: dict[str, list[str]] = {
    "runbooks": ["internal", "bpo_agent", "coordinator", "legal"],
    "contracts": ["legal", "procurement", "coordinator"],
    "hr": ["hr_partner"],
}
SOURCE_RULES = [
    {"match": "runbooks/**", "collection": "runbooks", "roles": COLLECTION_ROLES["runbooks"]},
    {"match": "contracts/**", "collection": "contracts", "roles": COLLECTION_ROLES["contracts"]},
    {"match": "hr/**", "collection": "hr", "roles": COLLECTION_ROLES["hr"]},
]

# The role sets every test runs through: single roles, admin, unknown and empty, and unions.
ROLE_SETS: list[frozenset[str]] = [
    frozenset({"bpo_agent"}), frozenset({"internal"}), frozenset({"legal"}), frozenset({"procurement"}),
    frozenset({"coordinator"}), frozenset({"hr_partner"}), frozenset({ADMIN}), frozenset({"unknown_role"}),
    frozenset({""}), frozenset(), frozenset({"bpo_agent", "legal"}), frozenset({"hr_partner", "procurement"}),
    frozenset({"unknown_role", "bpo_agent"}), frozenset({"Legal", "BPO_AGENT"}),  # case matters: reads nothing
]


def role_label(roles: frozenset[str]) -> str:
    return "+".join(sorted(roles)) if roles else "<none>"


def readable(roles: frozenset[str]) -> set[str]:
    """The collections a role set may read, computed independently of assistant.access.policy."""
    roles = {r for r in roles if r}
    if ADMIN in roles:
        return set(COLLECTION_ROLES) | {RESTRICTED}
    return {c for c, readers in COLLECTION_ROLES.items() if roles & set(readers)}


@dataclass(frozen=True)
class Canary:
    source: str  # path relative to the corpus root
    collection: str
    title: str
    section: str
    body: str
    question: str  # a topic question aimed at this document (never containing its markers)
    token: str  # the unique canary token (document text: visible only to readers)
    secret_line: str  # a credential line as an engineer would paste it
    secret: str  # the part redaction must mask: never visible to anyone

    @property
    def markers(self) -> tuple[str, ...]:
        """Strings that identify this document in any output: its token, source path and title."""
        return (self.token, self.source, self.title)

    def markdown(self) -> str:
        return (f"# {self.title}\n\n## {self.section}\n\n{self.body}\n\n"
                f"Audit reference {self.token} identifies this page in the quarterly review.\n\n"
                f"## Integration notes\n\nThe connector for this process is configured with {self.secret_line} "
                f"and is rotated every ninety days by the platform team.\n")


def _hex(seed: str, n: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


def _alnum(seed: str, n: int) -> str:
    digest = hashlib.sha256(seed.encode()).digest() * 4
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(alphabet[b % len(alphabet)] for b in digest[:n])


def _secret(kind: int, seed: str) -> tuple[str, str]:
    """(line, secret value) for one of the credential shapes assistant.text.redaction knows."""
    if kind == 0:
        value = "sk-live-" + _alnum(seed, 28)
        return f"api_key = {value}", value
    if kind == 1:
        value = "Vq9!" + _alnum(seed, 14)
        return f"password: {value}", value
    if kind == 2:
        value = "AKIA" + _alnum(seed, 16).upper().replace("I", "Q").replace("O", "R")
        return f"the AWS access key {value}", value
    if kind == 3:
        value = "xoxb-" + str(int(_hex(seed, 10), 16)) + "-" + _alnum(seed, 24)
        return f"the Slack bot token {value}", value
    if kind == 4:
        value = "Pg" + _alnum(seed, 16)
        return f"postgres://svc_ops:{value}@db.internal.example:5432/ops", value
    if kind == 5:
        value = "ghp_" + _alnum(seed, 36)
        return f"the GitHub deploy token {value}", value
    if kind == 6:
        value = _hex(seed + "cs", 32)
        return f"client_secret = {value}", value
    value = "eyJ" + _alnum(seed, 18) + "." + _alnum(seed + "p", 24) + "." + _alnum(seed + "s", 22)
    return f"auth_token: {value}", value


# (source, title, section, body, question) per document; collection comes from the folder.
_DOCS: list[tuple[str, str, str, str, str]] = [
    # -- runbooks: readable by internal, bpo_agent, coordinator, legal --------------------------
    ("runbooks/chargeback-dispute-sop.md", "Chargeback Dispute Handling SOP", "Gathering evidence",
     "When a cardholder files a chargeback, the agent opens a dispute case within one business day, attaches the "
     "delivery confirmation, the signed receipt and the customer emails, and submits the representment pack "
     "through the acquirer portal before the reason-code deadline.",
     "what evidence goes into a chargeback representment pack?"),
    ("runbooks/vip-refund-exception-runbook.md", "VIP Refund Exception Runbook", "Approval path",
     "Refund exceptions for VIP customers above the standard goodwill limit need a team lead approval in the "
     "ticket, a note of the lifetime value tier, and a callback to the customer within four hours of approval.",
     "who approves a refund exception for a VIP customer above the goodwill limit?"),
    ("runbooks/chat-backlog-incident-runbook.md", "Chat Backlog Incident Runbook", "Declaring the incident",
     "A chat backlog incident is declared when more than three hundred chats wait longer than ten minutes. The "
     "shift lead moves email-trained agents onto chat, pauses coaching sessions and posts status updates every "
     "thirty minutes until the queue recovers.",
     "when is a chat backlog incident declared and how often are status updates posted?"),
    ("runbooks/password-reset-verification-sop.md", "Password Reset Identity Verification SOP", "Verifying the caller",
     "Before resetting an account password the agent verifies the caller with two knowledge factors and a one-time "
     "code sent to the registered phone. Callers who fail verification twice are routed to the fraud desk.",
     "how does an agent verify identity before a password reset?"),
    ("runbooks/shift-handover-checklist.md", "Shift Handover Checklist", "Handover items",
     "At every shift change the outgoing lead records open escalations, queue health, staffing gaps and pending "
     "callbacks in the handover log, and the incoming lead acknowledges each item before taking the floor.",
     "what does the outgoing lead record in the shift handover log?"),
    ("runbooks/qa-call-scoring-guide.md", "Quality Assurance Call Scoring Guide", "Scoring rubric",
     "Quality analysts score five calls per agent per week on greeting, empathy, accuracy, compliance statements "
     "and closing. A compliance miss is an automatic fail regardless of the other scores.",
     "how many calls per week are scored for quality assurance and what causes an automatic fail?"),
    ("runbooks/abusive-caller-escalation-runbook.md", "Abusive Caller Escalation Runbook", "Warning and disconnect",
     "If a caller becomes abusive the agent gives one clear warning, then may end the call after a second "
     "incident, tags the interaction as abusive and notifies the team lead so the account can be flagged.",
     "what may an agent do when a caller becomes abusive?"),
    ("runbooks/outage-customer-notice-runbook.md", "Outage Customer Notice Runbook", "Interactive voice message",
     "During a platform outage the workforce team records an interactive voice response banner within fifteen "
     "minutes, publishes the status page note, and agents read the approved outage script on every contact.",
     "how quickly is the IVR outage banner recorded during a platform outage?"),
    ("runbooks/knowledge-article-update-sop.md", "Knowledge Article Update SOP", "Publishing changes",
     "Knowledge base articles are updated by the content desk only. Agents submit a correction request with the "
     "article link and the evidence; the desk reviews within two days and publishes with a change note.",
     "how do agents get a knowledge base article corrected?"),
    ("runbooks/address-change-kyc-sop.md", "Address Change KYC SOP", "Proof of address",
     "An address change on a regulated account needs a proof of address dated within ninety days, a selfie match "
     "for high-risk profiles, and a confirmation letter mailed to both the old and the new address.",
     "what proof is needed to change the address on a regulated account?"),
    ("runbooks/after-call-work-wrap-codes.md", "After-Call Work Wrap Codes", "Choosing a wrap code",
     "Agents select exactly one primary wrap code after each interaction: billing, technical, retention, complaint "
     "or general enquiry, and add a secondary code when a complaint was also raised. After-call work is capped at "
     "ninety seconds.",
     "which wrap code does an agent choose after a call and how long may after-call work take?"),
    ("runbooks/email-queue-triage-runbook.md", "Email Queue Triage Runbook", "Priority rules",
     "The email triage agent sorts new mail every hour: legal threats and regulator letters first, then VIP senders, "
     "then complaints older than two days, and finally general enquiries by age.",
     "in what order are emails triaged in the support mailbox?"),
    # -- contracts: readable by legal, procurement, coordinator --------------------------------
    ("contracts/acme-msa-termination.md", "Acme Master Services Agreement Termination", "12.2 Termination for Convenience",
     "Either party may terminate this Agreement for convenience on ninety days written notice to the other party. "
     "Fees for services performed up to the effective date of termination remain payable, and the supplier shall "
     "provide exit assistance for up to six months.",
     "how much notice is needed to terminate the Acme agreement for convenience?"),
    ("contracts/lumen-sow-service-levels.md", "Lumen Statement of Work Service Levels", "4.3 Service Credits",
     "The supplier shall answer eighty percent of calls within twenty seconds each month. For each month the "
     "service level is missed, the customer receives a service credit of five percent of the monthly fees, capped "
     "at fifteen percent in aggregate.",
     "what service credit applies when the call answer service level is missed?"),
    ("contracts/northwind-dpa-subprocessors.md", "Northwind Data Processing Addendum", "7 Sub-processors",
     "The processor shall not engage a new sub-processor without thirty days prior written notice, during which "
     "the controller may object on reasonable data protection grounds and terminate the affected services.",
     "how much notice must the processor give before engaging a new sub-processor?"),
    ("contracts/harbor-pricing-schedule.md", "Harbor Pricing Schedule", "Schedule B Rates",
     "The blended hourly rate per productive agent is forty-two dollars for English voice and fifty-one dollars "
     "for bilingual chat. Rates are fixed for the first contract year and then indexed to inflation, capped at four "
     "percent a year.",
     "what is the blended hourly rate per agent for English voice in the pricing schedule?"),
    ("contracts/acme-liability-cap.md", "Acme Limitation of Liability", "14.1 Cap on Liability",
     "Each party's aggregate liability under this Agreement is limited to the total fees paid in the twelve months "
     "before the claim, except for breaches of confidentiality, data protection and indemnified claims, which are "
     "uncapped.",
     "what is the aggregate liability cap in the Acme agreement?"),
    ("contracts/lumen-audit-rights.md", "Lumen Audit Rights Clause", "16 Audit",
     "The customer or its auditors may audit the supplier's records and facilities once per contract year on twenty "
     "business days notice. The supplier bears the audit cost if an overcharge of more than five percent is found.",
     "how often may the customer audit the supplier and on what notice?"),
    ("contracts/meridian-confidentiality.md", "Meridian Confidentiality Obligations", "9 Confidential Information",
     "The receiving party shall keep the discloser's confidential information secret for five years after "
     "termination, use it only to perform the services, and return or destroy it within thirty days of a request.",
     "how long do the confidentiality obligations in the Meridian contract survive termination?"),
    ("contracts/harbor-governance-committee.md", "Harbor Governance Committee", "5 Steering Committee",
     "A joint steering committee of three members from each party meets monthly to review service levels, open "
     "root cause analyses and change requests; disputes not resolved there are referred to the executive sponsors.",
     "how often does the joint steering committee meet and what does it review?"),
    ("contracts/acme-insurance-requirements.md", "Acme Insurance Requirements", "18 Insurance",
     "The supplier shall maintain professional indemnity insurance of five million dollars and cyber liability "
     "insurance of ten million dollars for the term and three years after, and provide certificates on request.",
     "what professional indemnity and cyber insurance must the supplier maintain?"),
    ("contracts/lumen-non-solicitation.md", "Lumen Non-Solicitation Clause", "20 Non-Solicitation",
     "Neither party shall solicit for employment any employee of the other party who worked on the services during "
     "the term and for twelve months after, other than through general advertisements.",
     "how long does the non-solicitation restriction on hiring employees last?"),
    ("contracts/meridian-change-control.md", "Meridian Change Control Procedure", "8 Change Requests",
     "Changes to scope, volumes or service levels require a written change request, an impact assessment by the "
     "supplier within ten business days, and signature by both contract managers before work starts.",
     "what is required before a change to scope or volumes takes effect?"),
    ("contracts/northwind-business-continuity.md", "Northwind Business Continuity Obligations", "11 Disaster Recovery",
     "The supplier shall maintain a tested business continuity plan, restore contact centre operations within "
     "four hours of a declared disaster from an alternate site, and test the plan twice a year.",
     "within how many hours must contact centre operations be restored after a disaster?"),
    # -- hr: readable by hr_partner only -------------------------------------------------------
    ("hr/parental-leave-policy.md", "Parental Leave Policy", "Eligibility and pay",
     "Employees with six months of service receive sixteen weeks of fully paid parental leave, which can be taken "
     "in up to three blocks within the first year after birth or adoption.",
     "how many weeks of paid parental leave do employees receive?"),
    ("hr/performance-improvement-plan.md", "Performance Improvement Plan Procedure", "Running a PIP",
     "A performance improvement plan lasts sixty days with written goals, fortnightly check-ins with the manager "
     "and an HR partner present at the opening and closing meetings.",
     "how long does a performance improvement plan last?"),
    ("hr/salary-bands-2025.md", "Salary Bands 2025", "Contact centre grades",
     "Grade C2 team leads are paid between thirty-eight and forty-six thousand a year; grade C3 operations managers "
     "between fifty-two and sixty-four thousand, reviewed each April against market data.",
     "what is the salary range for a grade C2 team lead?"),
    ("hr/disciplinary-hearing-procedure.md", "Disciplinary Hearing Procedure", "Notice of hearing",
     "An employee receives five working days written notice of a disciplinary hearing, the evidence pack, and the "
     "right to be accompanied by a colleague or union representative.",
     "how much notice does an employee get before a disciplinary hearing?"),
    ("hr/grievance-procedure.md", "Grievance Procedure", "Raising a grievance",
     "A grievance is raised in writing to the line manager, or to the next manager up when it concerns the line "
     "manager, and a meeting is held within ten working days with an outcome letter afterwards.",
     "how does an employee raise a formal grievance?"),
    ("hr/background-check-standard.md", "Background Check Standard", "Pre-employment screening",
     "Every new hire handling payment data passes a criminal record check, a five-year employment history check and "
     "a credit check before their first live shift.",
     "which background checks are required before an agent handles payment data?"),
    ("hr/relocation-allowance.md", "Relocation Allowance Policy", "Allowance amounts",
     "Employees relocating for a role more than eighty kilometres away receive a relocation allowance of six "
     "thousand, temporary housing for one month and reimbursed removal costs.",
     "how much relocation allowance does an employee get?"),
    ("hr/sick-leave-policy.md", "Sick Leave Policy", "Reporting absence",
     "Employees report sickness to their team lead before the shift starts, self-certify for up to seven days and "
     "provide a doctor's note from the eighth day; return-to-work interviews follow every absence.",
     "when is a doctor's note needed for sick leave?"),
    ("hr/employee-assistance-programme.md", "Employee Assistance Programme", "Counselling sessions",
     "The employee assistance programme offers six confidential counselling sessions a year, a twenty-four hour "
     "helpline and financial advice, available to employees and their household members.",
     "how many counselling sessions does the employee assistance programme offer?"),
    ("hr/severance-calculation.md", "Severance Calculation Guidelines", "Redundancy pay",
     "Redundancy pay is two weeks of base salary for each completed year of service, with a minimum of eight weeks "
     "and a maximum of fifty-two weeks, plus pay in lieu of unused holiday.",
     "how is redundancy severance pay calculated?"),
    # -- matching no rule: readable by admin only (deny by default) ----------------------------
    ("board/acquisition-strategy-memo.md", "Acquisition Strategy Memo", "Target shortlist",
     "The board shortlisted two nearshore contact centre operators for acquisition in the next fiscal year, with "
     "diligence to start after the third quarter results and a ceiling of eight times earnings.",
     "which companies did the board shortlist for acquisition and at what earnings multiple?"),
    ("finance/budget-forecast-2026.txt", "Budget Forecast 2026", "Headcount costs",
     "The 2026 forecast assumes a seven percent rise in agent headcount costs, flat technology spend and a "
     "reduction of outsourced overflow volumes by a quarter after the automation programme.",
     "what rise in agent headcount costs does the 2026 budget forecast assume?"),
    ("litigation-hold-notice.md", "Litigation Hold Notice", "Preservation duty",
     "All recordings, chat transcripts and emails relating to the Harrow account must be preserved from today "
     "until counsel lifts this hold; automatic deletion schedules are suspended for those records.",
     "which records must be preserved under the litigation hold for the Harrow account?"),
    ("security/penetration-test-findings.md", "Penetration Test Findings", "Critical findings",
     "The external penetration test found an exposed administration console on the workforce scheduling server "
     "and weak session expiry on the agent desktop; both are to be fixed within fourteen days.",
     "what critical findings did the penetration test report?"),
]


def _collection_of(source: str) -> str:
    top = source.split("/", 1)[0] if "/" in source else ""
    return top if top in COLLECTION_ROLES else RESTRICTED


def build_canaries() -> list[Canary]:
    out = []
    for i, (source, title, section, body, question) in enumerate(_DOCS):
        # One word: the lexical index then matches this document alone (a hyphen would split off
        # "canary", which every document shares, and bury the exact hit under dense neighbours).
        token = "CANARY" + _hex(source, 6).upper()
        line, secret = _secret(i % 8, source)
        out.append(Canary(source, _collection_of(source), title, section, body, question, token, line, secret))
    return out


CANARIES = build_canaries()
SECRETS = [c.secret for c in CANARIES]
BY_SOURCE = {c.source: c for c in CANARIES}


def write_corpus(root: Path) -> Path:
    from tests.conftest import write_files

    return write_files(root, {c.source: c.markdown() for c in CANARIES})


def write_config(path: Path, slack: dict | None = None) -> Path:
    """A minimal config.yaml in the shape issue 7 asks for (sources with match/collection/roles)."""
    data = {"sources": SOURCE_RULES, "redaction": {"secrets": True}}
    if slack is not None:
        data["slack"] = slack
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# -- checking outputs -------------------------------------------------------------------------

def leaked_docs(blob: str, allowed: set[str], exclude: tuple[str, ...] = ()) -> list[str]:
    """Sources of documents outside `allowed` collections whose markers occur in `blob`.

    `exclude`: strings the caller put into the request itself (echoed questions are not leaks).
    """
    hits = []
    for c in CANARIES:
        if c.collection in allowed:
            continue
        if any(m in blob and m not in exclude for m in c.markers):
            hits.append(c.source)
    return hits


def secrets_in(blob: str) -> list[str]:
    return [s for s in SECRETS if s in blob]


def assert_clean(blob: str, allowed: set[str], what: str, exclude: tuple[str, ...] = ()) -> None:
    leaks = leaked_docs(blob, allowed, exclude)
    assert not leaks, f"{what}: documents outside {sorted(allowed)} leaked: {leaks}"
    found = secrets_in(blob)
    assert not found, f"{what}: unmasked secrets appeared: {[s[:8] + '...' for s in found]}"


class MemoEmbedder:
    """The real model, with each distinct text embedded once.

    The matrix sends the same questions as a dozen role sets (and through three surfaces); the
    vectors are the model's own, so retrieval behaves exactly as in production, only cheaper.
    """

    def __init__(self, inner):
        self._inner = inner
        self._memo: dict[str, np.ndarray] = {}

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            for text, vector in zip(missing, self._inner.embed(missing)):
                self._memo[text] = vector
        if not texts:
            return self._inner.embed([])
        return np.stack([self._memo[t] for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def warm(self, texts: list[str]) -> None:
        """Encode many texts in one batch (far cheaper than one model call per query)."""
        self.embed(list(texts))


_WORDS = re.compile(r"[A-Za-z]+")


def word_count(c: Canary) -> int:
    return len(_WORDS.findall(c.markdown()))
