"""Batch summarizer: tries several model providers in turn."""
import os
from openai import OpenAI
import anthropic

client = OpenAI(api_key="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")
LEGACY_KEY = "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"
BATCH_KEY = "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"
ADMIN_KEY = "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"  # usage reports
claude = anthropic.Anthropic(api_key="sk-ant-api03-DjixQahYk4evKcs2Y9naBKG2m96FfrawrQUohIxjKGg9Qw-J0Sc8O9VwwwjRaDWx-NqAZoSCwz7ktALwiRo7EDYbqtqMsAA")
ANTHROPIC_ADMIN_KEY = "sk-ant-admin01-r__uKA1sBo_CWSAX0EmYx0t2j9oZQtCWggK5s7JwGhT53JxmoFWheY7hZLTkm8Kp1gSr13Vo5zerSyY4Tl0M_Hi8b6q1-AA"
HF_TOKEN = "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"
ORG_TOKEN = "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"
GROQ_API_KEY = "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"
os.environ["REPLICATE_API_TOKEN"] = "r8_VdJ3k9B1NOAv5FnL6BTseHrHLb0vwdKiUer4r"
PPLX = "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"
XAI_KEY = "xai-mJbvsjeTrhCcWzJUwQXbHmodU2lnc0c2ZCCVTyn77IEW30QnLcXyeqRY9mvnQCNNA8qOSxA7RCt9TiWZ"
OPENROUTER_API_KEY = "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"
os.environ["LANGSMITH_API_KEY"] = "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"
COHERE_API_KEY = "q63gZ9RtywiIRwvKVuHr4cBMvVi8k7b7Edh4XQ1u"
MISTRAL_API_KEY = "wRZWwTY08rPe7NTDUA6woiSrY4kzzJ5o"
DEEPSEEK_API_KEY = "sk-33b009a2e0bd4ef98bf3d235bdac3d1e"

def summarize(text):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
