#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 60) on its seed corpus (fuzz/corpus/<name>),
# keeping new inputs in build-fuzz/corpus/<name> and crashes in fuzz/artifacts/.
set -euo pipefail
build=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/artifacts"
for target in json_body_fuzz time_fuzz sql_placeholder_fuzz csv_reader_fuzz xlsx_reader_fuzz \
  sbom_fuzz nmap_fuzz checklist_definition_fuzz checklist_official_fuzz cvss_fuzz version_fuzz cpe_fuzz nvd_fuzz kev_fuzz epss_fuzz \
  nvd_feed_fuzz jvn_fuzz eol_fuzz osv_fuzz purl_fuzz vex_fuzz bundle_fuzz \
  syslog_fuzz logstore_fuzz evtx_fuzz audit_fuzz csv_audit_fuzz logs_config_fuzz frame_fuzz \
  text_tokenizer_fuzz; do
  name=${target%_fuzz}
  work="$build/corpus/$name"
  mkdir -p "$work"
  echo "fuzz: $target for ${seconds}s"
  "$build/fuzz/$target" -max_total_time="$seconds" -artifact_prefix="$here/artifacts/" \
    "$work" "$here/corpus/$name"
done
