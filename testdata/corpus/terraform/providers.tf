terraform {
  required_version = ">= 1.6"
  required_providers {
    aws          = { source = "hashicorp/aws", version = "~> 5.40" }
    digitalocean = { source = "digitalocean/digitalocean", version = "~> 2.36" }
    cloudflare   = { source = "cloudflare/cloudflare", version = "~> 4.30" }
    hcloud       = { source = "hetznercloud/hcloud", version = "~> 1.45" }
    linode       = { source = "linode/linode", version = "~> 2.18" }
    vultr        = { source = "vultr/vultr", version = "~> 2.19" }
  }
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAU5JQNIJMC5KQD4OE"
  secret_key = "7CeyJW0QwCl50yfTbB5IyvKezah7KYwQ+sRcwsqS"
}

provider "digitalocean" {
  token = var.do_token
}

provider "cloudflare" {
  email   = "infra@example.com"
  api_key = "c6c7868c9585f8be55f01550f7de4c30b4391"
}

provider "hcloud" {
  token = "zEmiWOBZ7st90gP896mk2zhz9Uyb386h3jWiZcyyUdGN79qvs3NMxZtgjCcp2tdI"
}

provider "linode" {
  token = "897403860e59e31b5d8702d2ac1d7e80621e6eceba5abd0fc3d391f57d49cd70"
}

provider "vultr" {
  api_key = "9RO4G2XZISSYLYPUW4EL0UNU9D29DA6AM2CC"
}

provider "tencentcloud" {
  secret_id  = "AKID4ueAozBRJ6GOHtIw6FzdUGMdHkgzmxt1"
  secret_key = "Cdzq0ks6yDGUwsiXaa0m6SYXdS5tzQqk"
  region     = "ap-singapore"
}

provider "alicloud" {
  access_key = "LTAIjCOloGjRGNQW5HRxyYdg"
  secret_key = var.alicloud_secret_key
  region     = "eu-central-1"
}

provider "ibm" {
  ibmcloud_api_key = "r_6cfQCnnZmaWnY_2g3zc2pgQkM-EBuCpIlelLRK2vgR"
}

provider "scaleway" {
  access_key = "SCWXYHDT5XKEC0R75DNN"
  secret_key = "fd724545-d76d-4002-91d9-ba52ed42eb69"
}

variable "do_token" {
  type      = string
  sensitive = true
}

resource "aws_iam_access_key" "ci" {
  user    = aws_iam_user.ci.name
  pgp_key = "keybase:example_infra"
}

resource "aws_kms_key" "state" {
  description             = "terraform state encryption"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_key_pair" "bastion" {
  key_name   = "bastion"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI/h5ASUyyJxfQFhcKuZTKDgIZMb7qnDepmy6UxIpgDLw ops@bastion"
}

resource "random_password" "db" {
  length  = 32
  special = true
}

output "state_key_arn" {
  value = aws_kms_key.state.arn
}
