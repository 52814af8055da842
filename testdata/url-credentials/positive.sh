#!/bin/sh
# Mirror job (synthetic credentials for keyhound's tests)
set -eu
pip install --index-url "https://ci-reader:Mrt2RlgEzgnLPhJMnGhO@pypi.corp.synthetic/simple/" internal-tools
curl -fsS "ftp://uploader:oHmtNs4bNYxJUp8B@ftp.partner.synthetic/incoming/report.csv" -o report.csv
export HTTPS_PROXY=http://svc-proxy:IZ2h7SleLNDP7MPI9q@proxy.corp.synthetic:3128
