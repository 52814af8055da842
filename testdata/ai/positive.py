"""Batch summarizer: tries several model providers in turn."""
import os
from openai import OpenAI
import anthropic

client = OpenAI(api_key="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")
LEGACY_KEY = "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"
BATCH_KEY = "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"
ADMIN_KEY = "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"  # usage reports
claude = anthropic.Anthropic(api_key="sk-ant-api03-Z0sAN2welDXAtAPC6bJcuJY98h5dZ7tGn3fEbL6Zk716TpMhvNMO1wVG8a6wWR1mWvyVWLy2ja_kjdFBgpuavMrP6dD9lAA")
ANTHROPIC_ADMIN_KEY = "sk-ant-admin01-41YY5qE_dX3ojRdX_AGKaD9h2RH-7WyYYLlOE-xA-JnGgSaJXfoBgCkO1X0yV728O8dFZhriZ96E8EZZ3-vgo_DJ2i2FiAA"
HF_TOKEN = "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"
ORG_TOKEN = "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"
GROQ_API_KEY = "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"
os.environ["REPLICATE_API_TOKEN"] = "r8_Fsq0DsNppZL4xlHR7A0jR1AtDPhKybPZemJM3"
PPLX = "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"
XAI_KEY = "xai-2nkMmj9zWFYE1x8RXwciV9PKrMe0j24g6qqW0JX5f1wESDVQX073nDHbtEJzRFM0GvGTPfI8p59SIe9B"
OPENROUTER_API_KEY = "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"
os.environ["LANGSMITH_API_KEY"] = "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"
COHERE_API_KEY = "zX723zw76Lf4Lg7hq6m64DbCmiNVyLcDmwZg7B7s"
MISTRAL_API_KEY = "Z030q3ACCE4mjKrh4IGVEwzBX8PXfPvF"
DEEPSEEK_API_KEY = "sk-31eeb4f8a2caab3c9536b65a969bee6d"

def summarize(text):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
