"""Optional LLM prose for a draft section, under the same citation verification as answers.

Offline (no chat model) nothing happens and the template text stands. With a model, the section
is rewritten from the draft's cited passages only; `answering/verify.py` drops every sentence whose
citation does not exist or whose quote is not in the cited passage, and the dropped sentences
become warnings. A provider failure never fails the draft: the template text is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.drafting.evidence import Evidence, from_model_numbers
from assistant.drafting.render import DraftTemplate
from assistant.errors import UpstreamError

if TYPE_CHECKING:
    from assistant.answering.pipeline import Answerer


def write_section(answerer: Answerer, template: DraftTemplate, ev: Evidence, section: str, facts: str, draft: str,
                  warnings: list[str]) -> str | None:
    """Verified model prose for `section`, or None (no model, no evidence, nothing verifiable)."""
    if answerer.chat_model is None or not ev.citations:
        return None
    from assistant.llm import invoke_text

    results = ev.as_results()  # index n-1 is citation [n], so the model's numbers are the draft's numbers
    system, user = template.prompt.render(evidence=answerer.evidence_block(results), facts=facts,
                                          section=section, draft=draft)
    try:
        reply = invoke_text(answerer.chat_model, system, user)
    except UpstreamError as exc:
        warnings.append(f"The language model was not used for '{section}': {exc.message}")
        return None
    verified = answerer.verifier.verify(reply, results)
    for sentence in verified.flagged:
        warnings.append(f"Dropped an unsupported sentence from '{section}': {sentence[:200]}")
    if not verified.grounded:
        return None
    return from_model_numbers(verified.answer)
