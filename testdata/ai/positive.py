"""Batch summarizer: tries several model providers in turn."""
import os
from openai import OpenAI
import anthropic

client = OpenAI(api_key="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")
LEGACY_KEY = "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"
BATCH_KEY = "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"
ADMIN_KEY = "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"  # usage reports
claude = anthropic.Anthropic(api_key="sk-ant-api03-Ahh02BJCq2RNEzBbaCR6gDH8MruyBtSGsVE1-nAaMjGVbcx0M6DjR0Zb7RSTyTyZzBsyH7edEOxYegrVutBQIgCYKnTPLAA")
ANTHROPIC_ADMIN_KEY = "sk-ant-admin01-yyuzJAmkjp-t_swOJfdDm8h2S-cy5wlEwXhHNcvbmEZM16ZkdV_ohqr-rD3pMKLic-vcnERPCdV0idgWUy8mtY6aseaOQAA"
HF_TOKEN = "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"
ORG_TOKEN = "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"
GROQ_API_KEY = "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"
os.environ["REPLICATE_API_TOKEN"] = "r8_oiPM0FQW29fRerHFJYEwNZtUUl6zKyC5JfpN3"
PPLX = "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"
XAI_KEY = "xai-eYvJMtvcq3SsDXlSOo7aZZMyD8Qcuk0lktSzD5JlKcMEPKJ7w7oHPdFMg8sfiVxcR5ZFGnYSoS7cmsjv"
OPENROUTER_API_KEY = "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"
os.environ["LANGSMITH_API_KEY"] = "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"
COHERE_API_KEY = "6jOBErI7bxXaHGj21geQVaqS9ChYsoN097L4b56o"
MISTRAL_API_KEY = "5RTs2nFqJBRIOKfKueJKz9uIKndDi99E"
DEEPSEEK_API_KEY = "sk-ae694a159cb75c86071d7b6b7d3ebdd1"

def summarize(text):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
