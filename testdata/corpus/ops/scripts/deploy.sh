#!/usr/bin/env bash
# Builds the release bundle and ships it to every environment we still run by hand.
set -euo pipefail

ENVIRONMENT="${1:-staging}"
RELEASE_SHA="$(git rev-parse HEAD)"   # e.g. af04eb6d58e3b681a9a854ae48616758d06a6ec3
ARTIFACT="build/app-${RELEASE_SHA:0:8}.tar.gz"

export HEROKU_API_KEY="HRKU-IIVqHteuUdytxjZnXnxVaavWi4iYz6VgjsUL3ZlYpPFvGtb7xiR6yYwU3avA"
export NETLIFY_AUTH_TOKEN="nfp_UJ2OCDcR1Cww3qPuqPsSapWMLiQePBdFGDbp"
export VERCEL_TOKEN=epnRVFc3QDMmqnWPKL6ztgFF
export FLY_API_TOKEN="fo1_9lvbtgmJ8n0LEUsBhOrOPpxhQK_womZ2R7LThQH0gEK"
export DOPPLER_TOKEN="dp.st.prd.KpFVKuu7NEMtLXyCVNitGv26F54UtMH9wrmnrSYRXwq"
export PULUMI_ACCESS_TOKEN=pul-e3efd7073ca1807b01211ce523f647dd4b7046a8
export TF_TOKEN_app_terraform_io="oEPqKPibTyA7cP.atlasv1.hzEibWyjPMCWzGhuBD9w3RiBDc0u6TOwtindBmgOtngld17UTgRQueuPyqzTzAWzoyl"
export DOCKER_PASSWORD="${DOCKERHUB_TOKEN:?set DOCKERHUB_TOKEN}"

echo "dckr_pat_sLH8r6OiQ4BUgs9O1LxSsXmm6hZ" | docker login -u release-bot --password-stdin

# Upload to the artifact store
curl -fsS -u release-bot:KylrW4wdalhVTfQ6fJVXwO -T "$ARTIFACT" "https://nexus.internal.example.com/repository/releases/"

# Notify the status page and the API monitors
curl -fsS -X POST -H "Authorization: Token urunNJAqc7BuTBay3QQEKtdaE3J0N77i" https://deploy-tracker.internal.example.com/api/releases \
  -d "sha=${RELEASE_SHA}&env=${ENVIRONMENT}"
curl -fsS -H "Authorization: Basic U0kwME8xUVdTR0g5WWlLaUZGMTZGTlVYRUx6NHVH" https://jenkins.internal.example.com/job/smoke/build
curl -fsS -H "Authorization: Bearer ${API_TOKEN}" https://api.example.com/v1/cache/purge
curl -fsS -H "X-Api-Key: PMAK-54f99d7a817ee0958c0a4b32-8539337d8a39b72025c8bc317afb4185b6" https://api.getpostman.com/collections

# Database migration with the maintenance user
PGPASSWORD="$MIGRATION_PASSWORD" psql -h db.internal -U migrator -d app -f migrations/latest.sql
mysqldump -u backup --password=wm2XfFOlscDrMCyW0ckz app > "/backups/app-$(date +%F).sql"

ssh deploy@web01.internal "sudo systemctl restart app"
sha256sum "$ARTIFACT" > "$ARTIFACT.sha256"
