"""Batch summarizer: tries several model providers in turn."""
import os
from openai import OpenAI
import anthropic

client = OpenAI(api_key="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")
LEGACY_KEY = "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"
BATCH_KEY = "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"
ADMIN_KEY = "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"  # usage reports
claude = anthropic.Anthropic(api_key="sk-ant-api03-8_ZoOhJUTcPH1yBR3zrxXfsM_9qgqdUMkkgDGv8fuvHbZjyqOSuJLeFIVWKyIR-iXpgQOtcNQ7fKFUSc5x3J-MbQxsHJBAA")
ANTHROPIC_ADMIN_KEY = "sk-ant-admin01--w2POzkrs_MifrGdKUF2NH0VvC0Kx9krqWXzOAcCAgzzbl9J0KKIU_8PtRjhCr8aR4_0u4rxH0rmkwXkHg3GLGCZJgN_fAA"
HF_TOKEN = "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"
ORG_TOKEN = "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"
GROQ_API_KEY = "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"
os.environ["REPLICATE_API_TOKEN"] = "r8_tyqHEHseLH2PBJ0knXC1Yf26JdMPtP7oX1sDZ"
PPLX = "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"
XAI_KEY = "xai-rhSHV2n2p0AS3s1NzXgdlPShARh2nT2b6THb8gRo2F2Thb1jdXbtvxM1aIFGnUqERh7EHNt0jJ3KCX2P"
OPENROUTER_API_KEY = "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"
os.environ["LANGSMITH_API_KEY"] = "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"
COHERE_API_KEY = "xCEjZCnZR8l6FK3hK8KC1yJQemuCzktC4MLD701s"
MISTRAL_API_KEY = "WqPdbT4GlckelnFU2cdtDlVRVzV7iSdp"
DEEPSEEK_API_KEY = "sk-529132c5d31439423fcee335628581c6"

def summarize(text):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
