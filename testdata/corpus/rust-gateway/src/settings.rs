//! Loads the gateway settings from the environment, falling back to the baked-in defaults.
use std::env;

use serde::Deserialize;

/// Keys the gateway forwards to upstream model providers.
#[derive(Debug, Clone, Deserialize)]
pub struct ProviderKeys {
    pub anthropic_admin: String,
    pub xai: String,
    pub perplexity: String,
    pub openrouter: String,
    pub mistral: String,
    pub cohere: String,
}

const ANTHROPIC_ADMIN_KEY: &str = "sk-ant-admin01-ogxWVu81JM1siWwE6ZwtXOxzuScsT0kPLCnAjWyA6n3T0pkGd43lTV5XogWwu3R9JRWw0svgIxgusTSEY5SwHVKkTNkudAA";
const XAI_API_KEY: &str = "xai-nSwC75J2dNb6tmlcvA1abNEQZ28otfkjQ2IkSw47MZPjjQQbrpfzaQZABwj2QuGWNSmtfBEh30sHqAEF";
const PERPLEXITY_API_KEY: &str = "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";
const OPENROUTER_API_KEY: &str = "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";
static MISTRAL_API_KEY: &str = "spcVmoHPiVPa2uXgY88IXiJuffpiB0Vy";
static COHERE_API_KEY: &str = "kdtfoWO1IPljsWPizSvV63zzXB9kAmKliAD3X1ev";

/// Content hash of the bundled model list, checked at startup.
const MODELS_SHA256: &str = "bc4724d75d60094f56a96871cb586c5d5769422aa20b514a0fca57d1f6ee9fa3";
const DEFAULT_REGION: &str = "eu-west-1";

impl ProviderKeys {
    pub fn from_env() -> Self {
        Self {
            anthropic_admin: env::var("ANTHROPIC_ADMIN_KEY").unwrap_or_else(|_| ANTHROPIC_ADMIN_KEY.into()),
            xai: env::var("XAI_API_KEY").unwrap_or_else(|_| XAI_API_KEY.into()),
            perplexity: env::var("PERPLEXITY_API_KEY").unwrap_or_else(|_| PERPLEXITY_API_KEY.into()),
            openrouter: env::var("OPENROUTER_API_KEY").unwrap_or_else(|_| OPENROUTER_API_KEY.into()),
            mistral: env::var("MISTRAL_API_KEY").unwrap_or_else(|_| MISTRAL_API_KEY.into()),
            cohere: env::var("COHERE_API_KEY").unwrap_or_else(|_| COHERE_API_KEY.into()),
        }
    }
}

pub fn cloudflare_client() -> cloudflare::framework::async_api::Client {
    let token = env::var("CLOUDFLARE_API_TOKEN").expect("CLOUDFLARE_API_TOKEN is required");
    let credentials = cloudflare::framework::auth::Credentials::UserAuthToken { token };
    cloudflare::framework::async_api::Client::new(credentials, Default::default(), Default::default()).unwrap()
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholder_key_is_rejected() {
        let key = "sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
        assert!(super::validate(key).is_err());
    }
}
