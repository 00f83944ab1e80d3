"""Typed errors of the core. Each surface maps them once (HTTP status, Slack message, exit code).

Standard library only: the CLI imports this module before it knows whether a command runs.
"""

MAX_QUESTION_CHARS = 4000


class ConfigError(Exception):
    """The configuration file is missing, unreadable or invalid (one-line message)."""


class AssistantError(Exception):
    code = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message.splitlines()[0] if message else self.code


class InvalidInput(AssistantError):
    code = "invalid_input"


class NothingIndexed(AssistantError):
    """The data home holds no documents at all (a new home, or one found in the wrong place)."""

    code = "nothing_indexed"

    def __init__(self, where: str = ""):
        super().__init__(f"nothing is indexed yet{where}: run `bpo-assistant ingest PATH`")


class Forbidden(AssistantError):
    code = "forbidden"


class NotFound(AssistantError):
    code = "not_found"


class UnsupportedMedia(AssistantError):
    code = "unsupported_file_type"


class PayloadTooLarge(AssistantError):
    code = "payload_too_large"


class UpstreamError(AssistantError):
    """The configured LLM provider failed (timeout, 5xx, bad reply)."""

    code = "llm_unavailable"


class UpstreamTimeout(UpstreamError):
    """The configured LLM provider did not answer within llm.timeout_s."""

    code = "llm_timeout"


def clean_question(text: str | None, what: str = "question") -> str:
    """The question (or query) stripped, or InvalidInput when it is empty or too long: checked
    before anything is loaded, so a bad one costs nothing."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput(f"the {what} is empty")
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidInput(f"the {what} is longer than {MAX_QUESTION_CHARS} characters")
    return text


def validation_message(exc) -> str:
    """One line for a pydantic ValidationError: the field, the value given and pydantic's own
    message, which names the allowed values or range ("doc_type.0 = 'sopp': Input should be
    'runbook', 'sop', ... or 'other'"). Duck-typed on `.errors()` so this module needs no pydantic."""
    problems = exc.errors()
    if not problems:
        return str(exc).splitlines()[0] if str(exc) else "invalid input"
    first = problems[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    value = first.get("input")
    # A missing field has no value, and a whole object as the value says less than its field name.
    given = "" if first.get("type") == "missing" or isinstance(value, (dict, list)) else f" = {_shown(value)}"
    text = str(first.get("msg", "invalid input")).removeprefix("Value error, ")  # a validator's own words
    message = f"{where}{given}: {text}" if where else text
    if len(problems) > 1:
        message += f" (and {len(problems) - 1} more)"
    return message


def _shown(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
