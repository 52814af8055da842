provider "datadog" {
  datadog_api_key = "63a9fec4edc5bec0bf762c386ea3e31c"
}

provider "grafana" {
  url  = "https://acme.grafana.net/"
  auth = "glsa_6STZaR6V7MVmb5wRP5ccgPyLWMXBQWPS_1e9003c6"
}

resource "shopify_webhook" "orders" {
  access_token = "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"
}
