#!/bin/sh
# Registers a self-hosted CI runner on a fresh VM.
set -eu

gitlab-runner register --non-interactive \
  --url https://gitlab.example.com/ \
  --registration-token GR1348941GqoSnBt4pWCGnan3Wrpa \
  --executor docker --docker-image alpine:3.19

# Trigger the downstream pipeline
curl -X POST -F token=glptt-2e02b88d401b46f07363dc88fb3d93dd0ceb0a5a -F ref=main https://gitlab.example.com/api/v4/projects/118/trigger/pipeline

export BUILDKITE_AGENT_TOKEN="${BUILDKITE_AGENT_TOKEN}"
export BUILDKITE_API_TOKEN=bkua_26981facf409d09367c0d9f1fc9d6725a1818b43
export CIRCLECI_TOKEN=CCIPAT_AtFzKzsZAVXCnieHmbjPIr_3d6cfdb798392c62a9f900a37ce8ebccbea47ef0
export SRC_ACCESS_TOKEN=sgp_7502553c3acbd8b7_5d536d92c3e0b386181a9ece659dfbca3a437a7e
git clone https://oauth2:glpat--E8jrYEh4ApfGPqq94tL@gitlab.example.com/platform/runner-config.git
git clone https://x-access-token:ghs_0kQd11eqPSwaB6XqZfh4xeyhG9Z1PR0OOW2U@github.com/example/infra.git
