provider "datadog" {
  datadog_api_key = "d2bd8d0b921ad7167033b76180028618"
}

provider "grafana" {
  url  = "https://acme.grafana.net/"
  auth = "glsa_hR5DxgNAoG1RfYeGlfWx3WTqcLqVWhLT_485ed545"
}

resource "shopify_webhook" "orders" {
  access_token = "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"
}
