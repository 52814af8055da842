"""Batch summarizer: tries several model providers in turn."""
import os
from openai import OpenAI
import anthropic

client = OpenAI(api_key="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")
LEGACY_KEY = "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"
BATCH_KEY = "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"
ADMIN_KEY = "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"  # usage reports
claude = anthropic.Anthropic(api_key="sk-ant-api03-v2Ku_ptLdyvug9WILUBuzvuJVzdVx6Ro6LqwXJnFMT4MHnQMw3giXMxl5DqCl7UCxPWAlv1g5JZsP-n1zlZfQUESK_oujAA")
ANTHROPIC_ADMIN_KEY = "sk-ant-admin01-p7o6bsJYnk9SYEYqdurlzdD5OhdyC51213euTiLiRyMRms2IkuJURVlJwic5wI6WmSPr1DcWLUti1_quDnKsSaQeam7PnAA"
HF_TOKEN = "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"
ORG_TOKEN = "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"
GROQ_API_KEY = "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"
os.environ["REPLICATE_API_TOKEN"] = "r8_uAEBTJxUyQuWOO7Jn9g1uzwoBw1F0ODOcxv2v"
PPLX = "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"
XAI_KEY = "xai-28Om5MOprdHiQ6KbrJWJHaDhBBFUSj4oiCSrJv0HHz0CFUHNJJ5goUX0jebHFNkd3F3VkSbWvwRznZmr"
OPENROUTER_API_KEY = "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"
os.environ["LANGSMITH_API_KEY"] = "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"
COHERE_API_KEY = "eboS9shaAFE4A61lP3bDcuDHECv1sfcTO40LZlyB"
MISTRAL_API_KEY = "rWMLIxTsGDwP516fJ6yGS1GIgO4iGKAG"
DEEPSEEK_API_KEY = "sk-a61ac98a525c273c881ebf555c11db68"

def summarize(text):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
