"""LangChain chat model from configuration. Keys come from the environment only (LLMSettings.api_key).

Providers: `openai_compatible` (vLLM, llama.cpp server, Ollama's /v1 API, any OpenAI-style
endpoint with `base_url`), `openai`, `ollama` (its OpenAI-compatible API), and `anthropic`
(needs the langchain-anthropic package). `none` (the default) means offline extractive answers.
"""

from __future__ import annotations

from assistant.config import LLMSettings
from assistant.errors import UpstreamError, UpstreamTimeout


def chat_model_from_settings(cfg: LLMSettings):
    if cfg.provider == "none":
        return None
    if not cfg.model:
        raise UpstreamError("llm.model must be set when an LLM provider is configured")
    api_key = cfg.api_key()
    if cfg.provider in ("openai", "openai_compatible", "ollama"):
        from langchain_openai import ChatOpenAI

        base_url = cfg.base_url
        if cfg.provider == "ollama" and not base_url:
            base_url = "http://127.0.0.1:11434/v1"
        if cfg.provider != "openai" and not base_url:
            raise UpstreamError("llm.base_url must be set for an OpenAI-compatible endpoint")
        return ChatOpenAI(
            model=cfg.model, base_url=base_url, api_key=api_key or "not-needed",
            temperature=cfg.temperature, timeout=cfg.timeout_s, max_retries=cfg.max_retries,
        )
    if cfg.provider == "anthropic":
        try:
            from langchain_anthropic import ChatAnthropic
        except ImportError:
            raise UpstreamError("provider 'anthropic' needs the langchain-anthropic package installed") from None
        return ChatAnthropic(model=cfg.model, api_key=api_key, temperature=cfg.temperature,
                             timeout=cfg.timeout_s, max_retries=cfg.max_retries)
    raise UpstreamError(f"unknown LLM provider {cfg.provider}")


def invoke_text(model, system: str, user: str) -> str:
    """One chat call; any provider failure becomes a one-line UpstreamError."""
    from langchain_core.messages import HumanMessage, SystemMessage

    try:
        reply = model.invoke([SystemMessage(content=system), HumanMessage(content=user)])
    except Exception as exc:  # provider SDKs raise many types: timeouts, HTTP 5xx, bad JSON
        raise provider_error(exc) from None
    content = reply.content
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content)


def stream_text(model, system: str, user: str):
    from langchain_core.messages import HumanMessage, SystemMessage

    try:
        for piece in model.stream([SystemMessage(content=system), HumanMessage(content=user)]):
            if piece.content:
                yield str(piece.content)
    except Exception as exc:
        raise provider_error(exc) from None


def provider_error(exc: BaseException) -> UpstreamError:
    """One line for the user; the provider's own message stays in the server. A timeout is told
    apart (HTTP 504) from other failures (502) by type: every SDK's timeout class is named so
    (openai.APITimeoutError, httpx.ReadTimeout, anthropic.APITimeoutError) or is a TimeoutError."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, TimeoutError) or any("Timeout" in cls.__name__ for cls in type(seen).__mro__):
            return UpstreamTimeout(f"the language model did not answer in time ({type(exc).__name__})")
        seen = seen.__cause__ or seen.__context__
    return UpstreamError(f"the language model did not answer ({type(exc).__name__})")
