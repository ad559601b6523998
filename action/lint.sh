#!/usr/bin/env bash
# The lint step of action.yml: annotations first, then the SARIF file, and the
# step ends with the exit code of the annotated run, so the SARIF run never
# hides findings and a failing lint still leaves its SARIF file for upload.
#
# Environment: KOMODO_GUARD (the executable, default komodo-guard on PATH),
# KG_PATH (default "."), KG_KOMODO_VERSION, KG_FAIL_ON (default warning),
# KG_SARIF (empty: no SARIF file), GITHUB_OUTPUT (optional: step outputs).
set -uo pipefail

guard=${KOMODO_GUARD:-komodo-guard}
options=(--fail-on "${KG_FAIL_ON:-warning}")
if [[ -n ${KG_KOMODO_VERSION:-} ]]; then
  options+=(--komodo-version "$KG_KOMODO_VERSION")
fi
tree=${KG_PATH:-.}

"$guard" lint "$tree" --format github "${options[@]}"
status=$?

written=""
if [[ -n ${KG_SARIF:-} ]]; then
  rm -f -- "$KG_SARIF"
  "$guard" --quiet lint "$tree" --format sarif --output "$KG_SARIF" "${options[@]}"
  sarif_status=$?
  if [[ -f $KG_SARIF ]]; then
    written=$KG_SARIF
  else
    echo "::error title=komodo-guard::no SARIF report was written to $KG_SARIF (exit $sarif_status)"
    status=2
  fi
fi

if [[ -n ${GITHUB_OUTPUT:-} ]]; then
  {
    echo "sarif=$written"
    echo "exit-code=$status"
  } >>"$GITHUB_OUTPUT"
fi
exit "$status"
