# Providers read their tokens from variables; no literal credentials.
variable "do_token" {
  type      = string
  sensitive = true
}

provider "digitalocean" {
  token = var.do_token
}

provider "cloudflare" {
  api_token = var.cloudflare_api_token
}

locals {
  doc_sample_token = "dop_v1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  vault_addr       = "https://vault.internal:8200"
  age_recipient    = "age1kpcjr5jvc2s6gtmw2gj5wwwtitxt3ch4iancc3eqpwicv5p7av7gof7tek"
}
