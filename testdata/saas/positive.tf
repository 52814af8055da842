provider "datadog" {
  datadog_api_key = "ade8da3886e9e7c8d7d748b72bfb9b00"
}

provider "grafana" {
  url  = "https://acme.grafana.net/"
  auth = "glsa_8TZtMY2LDwTk7sQvT9MkVG0DqaNHDsT3_0fd98292"
}

resource "shopify_webhook" "orders" {
  access_token = "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"
}
