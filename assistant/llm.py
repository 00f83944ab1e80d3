"""LangChain chat model from configuration. Keys come from the environment only.

Providers: `openai_compatible` (vLLM, llama.cpp server, Ollama's /v1 API, any OpenAI-style
endpoint with `base_url`), `openai`, `ollama` (its OpenAI-compatible API), and `anthropic`
(needs the langchain-anthropic package). `none` (the default) means offline extractive answers.
"""

from __future__ import annotations

import os

from assistant.config import LLMSettings
from assistant.errors import UpstreamError


def chat_model_from_settings(cfg: LLMSettings):
    if cfg.provider == "none":
        return None
    if not cfg.model:
        raise UpstreamError("llm.model must be set when an LLM provider is configured")
    api_key = os.environ.get(cfg.api_key_env, "") if cfg.api_key_env else ""
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
        raise UpstreamError(f"the language model did not answer ({type(exc).__name__})") from None
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
        raise UpstreamError(f"the language model did not answer ({type(exc).__name__})") from None
