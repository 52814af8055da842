provider "datadog" {
  datadog_api_key = "09d3b87fea6e050feac5cc78667e517c"
}

provider "grafana" {
  url  = "https://acme.grafana.net/"
  auth = "glsa_1rQCqOLfl0twbjQyvnp1oiZp1yEbHrwj_c7142874"
}

resource "shopify_webhook" "orders" {
  access_token = "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"
}
