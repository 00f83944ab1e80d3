"""Typed errors of the core. Each surface maps them once (HTTP status, Slack message, exit code)."""


class AssistantError(Exception):
    code = "error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message.splitlines()[0] if message else self.code


class InvalidInput(AssistantError):
    code = "invalid_input"


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
