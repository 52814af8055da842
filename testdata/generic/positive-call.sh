#!/bin/sh
# Trigger a synthetic reindex job
curl -fsS -X POST -H "Authorization: Bearer PsJSoJhBpR2tpZAimLEqu2I3pOJT0xJN3luQqFsX" https://jobs.internal.synthetic/v2/reindex
