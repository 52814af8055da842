# frozen_string_literal: true

# Third-party clients used by the CRM. Keys belong in credentials.yml.enc;
# the ones below were pasted during the 2023 migration.

Stripe.api_key = ENV.fetch("STRIPE_SECRET_KEY") { "sk_test_ef4gXtUsbBrryBDtXoWlaNWuYiJodhmi9niA6Nt6QNMVpWK4sLM1h1vWi6fDwW87YYPlxsqAcHvzGEgQN7XbRhtPD92kbZXD2CY" }
Stripe.api_version = "2023-10-16"

ShopifyAPI::Context.setup(
  api_key: ENV.fetch("SHOPIFY_API_KEY"),
  api_secret_key: "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",
  host: "https://crm.example.com",
  scope: "read_orders,read_customers",
  is_embedded: false,
  api_version: "2024-07"
)

Algolia.init(application_id: "BAN0F0HY3L", api_key: ENV["ALGOLIA_SEARCH_KEY"])
ALGOLIA_ADMIN_KEY = "2a0043fdb5b1974f965707fe40fba62f"

Postmark.configure do |config|
  config.api_token = ENV["POSTMARK_API_TOKEN"]
end
POSTMARK_SERVER_TOKEN = "6dfd9144-7489-4380-ad94-4d51b0c462c1"

Rails.application.config.middleware.use OmniAuth::Builder do
  provider :github, ENV["GITHUB_CLIENT_ID"], ENV["GITHUB_CLIENT_SECRET"], scope: "read:user"
end
GITHUB_CLIENT_SECRET = "304f3347dd31364f2e584d94e6e62e85aa52d21d"

TWITTER_CLIENT = Twitter::REST::Client.new do |config|
  config.consumer_key        = ENV["TWITTER_CONSUMER_KEY"]
  config.consumer_secret     = ENV["TWITTER_CONSUMER_SECRET"]
end
twitter_consumer_key = "PPv3cQ2NLtYQc7DJbXSx29lWj"
twitter_consumer_secret = "nQSTC5SDUursV3Jx0LaqJcUjaw4fZeGQBt2O39rrVn1tBLA0ka"

Hubspot.configure(access_token: "pat-na1-d18b7fa7-313a-4f15-8c24-169140f15f45")
SibApiV3Sdk.configure { |c| c.api_key["api-key"] = "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" }

# Record ids and digests that look random but are not secrets
DEFAULT_PIPELINE_ID = "0bb56041-d183-4134-a469-4f568562cd54"
ASSET_DIGEST = "ab33d8fecfb0af7152fe967f6f0edac8e94b4d47fbfeaaed38a0e1fb01d5e0df"
