provider "datadog" {
  datadog_api_key = "ea1bf3a216297133833b1a96aa2ba356"
}

provider "grafana" {
  url  = "https://acme.grafana.net/"
  auth = "glsa_a7Lrb1IOrBIHTQOaBTELS3T5XVdgIEmL_1560e46d"
}

resource "shopify_webhook" "orders" {
  access_token = "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"
}
