"""Batch summarizer: tries several model providers in turn."""
import os
from openai import OpenAI
import anthropic

client = OpenAI(api_key="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")
LEGACY_KEY = "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"
BATCH_KEY = "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"
ADMIN_KEY = "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"  # usage reports
claude = anthropic.Anthropic(api_key="sk-ant-api03-nDX7-JHOdt2PxOkaH2AcwGD-rWcrACfVYkb-G86mlKQG7xtYHKxBpL1prJjzdPEqunYyqAU5mexmuV0LK4zp4TIqFth4IAA")
ANTHROPIC_ADMIN_KEY = "sk-ant-admin01-rpcLJo7YLkm3YeKgklfxFT4sx8ZCbokZ4UXcE3_ARjWIqTKflalE_i_ba4V2hpco4kHKWEMaZFEqTPe4T9pHso8EID3nVAA"
HF_TOKEN = "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"
ORG_TOKEN = "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"
GROQ_API_KEY = "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"
os.environ["REPLICATE_API_TOKEN"] = "r8_VWEb2bohXsr2XwRsnvxTqa6LK0gBNsI9qoweN"
PPLX = "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"
XAI_KEY = "xai-0IBCLamUbcw8ZayJpYFSjridBVLoDrcAyEDBZrw3dskFSfiRUBCu6iCBoqHY9Q8t3oz0KI6BNWypR1yo"
OPENROUTER_API_KEY = "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"
os.environ["LANGSMITH_API_KEY"] = "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"
COHERE_API_KEY = "BfEyTp1xu9FM71sWTXqa2K1bBL8Rl51h0xDjKX1w"
MISTRAL_API_KEY = "XLBO6omBNVkg11K4dfslJZeWwRFgLNh5"
DEEPSEEK_API_KEY = "sk-363047ce052fa0f894b8b02e7ac7d093"

def summarize(text):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
