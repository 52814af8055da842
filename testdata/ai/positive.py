"""Batch summarizer: tries several model providers in turn."""
import os
from openai import OpenAI
import anthropic

client = OpenAI(api_key="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")
LEGACY_KEY = "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"
BATCH_KEY = "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"
ADMIN_KEY = "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"  # usage reports
claude = anthropic.Anthropic(api_key="sk-ant-api03-mBW7_9I3hy9O5O2UlPO-kZ5rkjDm87ltkr-bCLhQ18XLeuChmc4beyuH5aBAqMpCiwShMejfxf5uN0wXWGRI3lL0NPotqAA")
ANTHROPIC_ADMIN_KEY = "sk-ant-admin01-Ioe2i9pUoDAx033Eu6cs_VCfTnYHC_ib3Rsuv7kg7fPLkVvFuAk2izD9GRd0yZJ8x22EIAqI9Ft0Ntvh7A-d6k5Pq4EH7AA"
HF_TOKEN = "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"
ORG_TOKEN = "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"
GROQ_API_KEY = "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"
os.environ["REPLICATE_API_TOKEN"] = "r8_yiooz84Qdw4KKxCoKpKBIIdayP2hUJBVoOGQw"
PPLX = "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"
XAI_KEY = "xai-PIlEBjGufKtV5JtovpT7KpjjyReRH34ALdhCPusvKakb1urfd7hxX3XtqMKHyOpvSRPSOQYlxy7iQV5x"
OPENROUTER_API_KEY = "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"
os.environ["LANGSMITH_API_KEY"] = "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"
COHERE_API_KEY = "aHpHTAF1o1urFHvYgmVoAg0gsrUT9eyDo3dKsN9R"
MISTRAL_API_KEY = "9wOXs1eYT0NwdJRGwHUFcSxe5i6FAc4f"
DEEPSEEK_API_KEY = "sk-e0cef4aa4c7fa11741037af737524d40"

def summarize(text):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
