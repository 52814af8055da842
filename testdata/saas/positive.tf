provider "datadog" {
  datadog_api_key = "13f939aeab4853e33e27bbd03c2a9895"
}

provider "grafana" {
  url  = "https://acme.grafana.net/"
  auth = "glsa_QcEZfeS5Stf9qunIfQI3hcNSX5ihMiso_bd929434"
}

resource "shopify_webhook" "orders" {
  access_token = "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"
}
