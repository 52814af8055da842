provider "datadog" {
  datadog_api_key = "6da4001539cb931e777ea76198dfca50"
}

provider "grafana" {
  url  = "https://acme.grafana.net/"
  auth = "glsa_oPhvT0sdSH7DtCbXWsrj04zxw4FjF4nJ_a8d0a840"
}

resource "shopify_webhook" "orders" {
  access_token = "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"
}
