#!/usr/bin/env bash
# Runs real third-party validators on every export of every template, a generated plan, a plan with
# hostile names in every object kind and one with a network ACL:
#   python-hcl2 (parses every .tf), shared/tools/tf-check (stands in for `terraform validate`), checkov
#   (Terraform and CloudFormation; failed checks other than tests/exports/checkov-suppressions.txt fail the
#   run), cfn-lint (no errors), and the official mermaid package in headless Chromium (tools/check-mermaid.mjs).
# Also round-trips the plan file through the command line. Installs what it needs, idempotently:
#   tools/.venv-hcl2 (python-hcl2, cfn-lint) and tools/.venv-checkov (checkov): two venvs, because both
#   python-hcl2 and checkov ship a module named `hcl2`; tools/node_modules (npm ci); Chromium (apt-get).
# Usage: scripts/validate-exports.sh [--keep]   (--keep leaves the exports in the printed folder)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

PYTHON_HCL2_VERSION=8.1.4
CFN_LINT_VERSION=1.58.0
CHECKOV_VERSION=3.3.30
TF_CHECK="$root/../shared/tools/tf-check/check_tf.py"
SUPPRESSIONS="$root/tests/exports/checkov-suppressions.txt"

log() { printf '\033[1;34m[validate-exports]\033[0m %s\n' "$*"; }
passed=0
failed=0
failures=()
check() { # check NAME COMMAND...: runs a validator, counts it, keeps going
  local name=$1
  shift
  if "$@" >"$work/log.txt" 2>&1; then
    passed=$((passed + 1))
    printf '  ok    %s\n' "$name"
  else
    failed=$((failed + 1))
    failures+=("$name")
    printf '  FAIL  %s\n' "$name"
    sed 's/^/        /' "$work/log.txt" | tail -40
  fi
}

# --- tools, installed only when missing ---------------------------------------------------------------------
venv() { # venv DIR STAMP PACKAGES...
  local dir=$1 stamp=$2
  shift 2
  if [ ! -x "$dir/bin/python" ] || [ "$(cat "$dir/.installed" 2>/dev/null)" != "$stamp" ]; then
    log "creating $dir ($*)"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"
    echo "$stamp" >"$dir/.installed"
  fi
}
venv tools/.venv-hcl2 "python-hcl2==$PYTHON_HCL2_VERSION cfn-lint==$CFN_LINT_VERSION" \
  "python-hcl2==$PYTHON_HCL2_VERSION" "cfn-lint==$CFN_LINT_VERSION"
venv tools/.venv-checkov "checkov==$CHECKOV_VERSION" "checkov==$CHECKOV_VERSION"
if [ ! -d tools/node_modules/mermaid ] || [ ! -d tools/node_modules/playwright-core ]; then
  log "npm ci in tools/"
  (cd tools && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
if ! command -v chromium >/dev/null 2>&1; then
  log "apt-get install chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if [ ! -f "$TF_CHECK" ]; then
  echo "validate-exports: $TF_CHECK is missing (shared/ must sit beside the repository)" >&2
  exit 2
fi
hcl2_python=$root/tools/.venv-hcl2/bin/python

# --- the exports --------------------------------------------------------------------------------------------
log "building the command line"
cargo build --quiet -p vpn-designer-cli
cli="${CARGO_TARGET_DIR:-$root/target}/debug/vpn-designer"

work=$(mktemp -d "${TMPDIR:-/tmp}/validate-exports.XXXXXX")
if [ "${1:-}" != "--keep" ]; then
  trap 'rm -rf "$work"' EXIT
fi
plans=(reference static blank hostile generated network-acls)
for name in reference static blank; do
  "$cli" template "$name" >"$work/$name.plan.json"
done
# A generated plan of 8 networks (4 VNets, 4 VPCs, 16 tunnels): several of everything, regions and names.
"$cli" generate --networks 8 --seed 7 >"$work/generated.plan.json"
cp tests/exports/hostile.plan.json "$work/hostile.plan.json"
# The reference with a network ACL on its AWS subnet: entries of every protocol kind, both ways, a deny.
cp tests/exports/network-acls.plan.json "$work/network-acls.plan.json"

log "exporting ${plans[*]} into $work"
for name in "${plans[@]}"; do
  out=$work/$name
  mkdir -p "$out"
  for format in terraform terraform-per-cloud cloudformation mermaid sheet-md sheet-csv sheet-html review-md review-html plan; do
    case $format in
      terraform) target=$out/terraform ;;
      terraform-per-cloud) target=$out/per-cloud ;;
      cloudformation) target=$out/aws.cfn.yaml ;;
      mermaid) target=$out/diagram.mmd ;;
      sheet-md) target=$out/ipsec-sheet.md ;;
      sheet-csv) target=$out/ipsec-sheet.csv ;;
      sheet-html) target=$out/ipsec-sheet.html ;;
      review-md) target=$out/review.md ;;
      review-html) target=$out/review.html ;;
      plan) target=$out/plan.json ;;
    esac
    "$cli" export "$work/$name.plan.json" --format "$format" -o "$target"
  done
done
cp tests/exports/hostile.expect.txt "$work/hostile/diagram.expect.txt"

# --- the validators -----------------------------------------------------------------------------------------
skip_checks=$(grep -v '^[[:space:]]*#' "$SUPPRESSIONS" | awk 'NF { print $1 }' | paste -sd, -)
for name in "${plans[@]}"; do
  out=$work/$name
  log "$name"
  check "$name: python-hcl2 parses every .tf" "$hcl2_python" -c '
import sys, hcl2
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        hcl2.load(f)
' "$out"/terraform/*.tf
  check "$name: tf-check (provider arguments and references)" "$hcl2_python" "$TF_CHECK" "$out/terraform"
  check "$name: checkov on Terraform" env BC_SKIP_MAPPING=TRUE tools/.venv-checkov/bin/checkov \
    -d "$out/terraform" --framework terraform --skip-download --quiet --compact --skip-check "$skip_checks"
  # The same resources as two root modules, one per cloud: each must stand alone.
  for module in azure aws; do
    check "$name: python-hcl2 parses per-cloud $module/*.tf" "$hcl2_python" -c '
import sys, hcl2
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        hcl2.load(f)
' "$out"/per-cloud/$module/*.tf
    check "$name: tf-check on per-cloud $module/" "$hcl2_python" "$TF_CHECK" "$out/per-cloud/$module"
    check "$name: checkov on per-cloud $module/" env BC_SKIP_MAPPING=TRUE tools/.venv-checkov/bin/checkov \
      -d "$out/per-cloud/$module" --framework terraform --skip-download --quiet --compact --skip-check "$skip_checks"
  done
  check "$name: checkov on CloudFormation" env BC_SKIP_MAPPING=TRUE tools/.venv-checkov/bin/checkov \
    -f "$out/aws.cfn.yaml" --framework cloudformation --skip-download --quiet --compact --skip-check "$skip_checks"
  check "$name: cfn-lint (no errors)" tools/.venv-hcl2/bin/cfn-lint --non-zero-exit-code error "$out/aws.cfn.yaml"
  check "$name: plan file round-trips" cmp "$work/$name.plan.json" "$out/plan.json"
  check "$name: exported plan file validates" "$cli" validate "$out/plan.json"
done
log "mermaid in Chromium"
mermaid_files=()
for name in "${plans[@]}"; do mermaid_files+=("$work/$name/diagram.mmd"); done
check "mermaid parses and renders every diagram (hostile names shown intact)" \
  node tools/check-mermaid.mjs "${mermaid_files[@]}"

if [ ${#failures[@]} -gt 0 ]; then
  printf 'failed:\n'
  printf '  %s\n' "${failures[@]}"
fi
echo "validate-exports: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
