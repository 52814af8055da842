provider "datadog" {
  datadog_api_key = "d3b0852f450f1a2fec58298589bfd6e7"
}

provider "grafana" {
  url  = "https://acme.grafana.net/"
  auth = "glsa_rZJEIlDYD7ortFOpbaknuMUKqGwFy6Fk_5e977f91"
}

resource "shopify_webhook" "orders" {
  access_token = "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"
}
