"""Batch summarizer: tries several model providers in turn."""
import os
from openai import OpenAI
import anthropic

client = OpenAI(api_key="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")
LEGACY_KEY = "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"
BATCH_KEY = "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"
ADMIN_KEY = "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"  # usage reports
claude = anthropic.Anthropic(api_key="sk-ant-api03-n77SIeEP4_euA_hBUsnXfVl73O_HX_Jsf4EnyWtPang8KEqwCDPOCOA-Qt9iuloOXuJBbgs_vfKuB_e_r3KltKjG-SBCHAA")
ANTHROPIC_ADMIN_KEY = "sk-ant-admin01-7EVa8Ilicl2IbRU4aWN39ZG1_Nv6Ti_CCtg7MP86QTEhmXTAfCYkmyxVpr3O5uA9mE-lIXJZggN3PoqEJ_mItQCsSt8pCAA"
HF_TOKEN = "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"
ORG_TOKEN = "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"
GROQ_API_KEY = "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"
os.environ["REPLICATE_API_TOKEN"] = "r8_oyYKZzD1CDDjwLaD56gTQhsNsiKB8mYa7lPiW"
PPLX = "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"
XAI_KEY = "xai-SdR4lJuVBIVCmhbXkIbpp4drZXZmgpD5iMsICvj437BQ2uVH122ikAmYqYVvXbkMKCnit7eTPwidABAT"
OPENROUTER_API_KEY = "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"
os.environ["LANGSMITH_API_KEY"] = "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"
COHERE_API_KEY = "WXG8PU3WAeh6eyxokp5566mSzgpb1Durxf7MRJlj"
MISTRAL_API_KEY = "JjtzPvhlk5KX9zSuES6hi7D3emkdOXvK"
DEEPSEEK_API_KEY = "sk-11b77179d0fc82bce4e4d39953b2d130"

def summarize(text):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
