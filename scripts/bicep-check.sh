#!/usr/bin/env bash
# Compiles and lints infra/main.bicep, and builds infra/front-door.bicepparam against it, with a pinned Bicep CLI,
# failing on any error or warning.
# The CLI comes from NuGet (Azure.Bicep.CommandLine.linux-x64), so the .NET SDK is all it needs.
# A throwaway project outside the repo downloads the package once; later runs reuse the cached binary.
set -euo pipefail
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

BICEP_VERSION=0.49.2
PACKAGE=Azure.Bicep.CommandLine.linux-x64

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
template="$repo/infra/main.bicep"
parameters="$repo/infra/main.parameters.json"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "bicep-check: $PACKAGE runs on Linux x64 only, not $(uname -s)-$(uname -m)" >&2; exit 2 ;;
esac

packages=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')
bicep="${packages%/}/$(echo "$PACKAGE" | tr '[:upper:]' '[:lower:]')/$BICEP_VERSION/tools/bicep"

if [[ ! -f "$bicep" ]]; then
  # Empty Directory.* files stop MSBuild from walking up into any parent's props (and central package
  # management); the SDK's own target framework needs no extra download.
  work="${TMPDIR:-/tmp}/bicep-cli"
  mkdir -p "$work"
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
    echo '<Project />' > "$work/$f"
  done
  tfm="net$(dotnet --version | cut -d. -f1).0"
  cat > "$work/bicep-cli.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>$tfm</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$PACKAGE" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
EOF
  echo "bicep-check: downloading $PACKAGE $BICEP_VERSION from NuGet"
  (cd "$work" && dotnet restore --nologo --verbosity quiet bicep-cli.csproj)
fi
[[ -f "$bicep" ]] || { echo "bicep-check: $bicep is missing after restore" >&2; exit 1; }
[[ -x "$bicep" ]] || chmod +x "$bicep"

echo "bicep-check: $("$bicep" --version)"

failed=0

# Runs one check; any diagnostic it prints (errors and warnings alike) fails it.
run() {
  local label=$1; shift
  local output status=0
  output=$("$@" 2>&1) || status=$?
  if [[ $status -ne 0 ]] || grep -Eq ' : (Error|Warning) ' <<<"$output"; then
    echo "FAIL  $label (exit $status)"
    [[ -n "$output" ]] && sed 's/^/      /' <<<"$output"
    failed=1
  else
    echo "ok    $label"
  fi
}

build() { "$bicep" build "$template" --stdout >/dev/null; }
lint() { "$bicep" lint "$template"; }
# The front door's parameters, checked against the template's types, allowed values and lengths; the ids are
# placeholders (nothing is deployed).
front_door() {
  GRAPH_CLIENT_ID=00000000-0000-0000-0000-000000000000 GRAPH_CLIENT_SECRET= \
    "$bicep" build-params "$repo/infra/front-door.bicepparam" --stdout >/dev/null
}
run "bicep build infra/main.bicep" build
run "bicep lint infra/main.bicep (default rules + infra/bicepconfig.json)" lint
run "bicep build-params infra/front-door.bicepparam (the README's front door)" front_door

# azd fills infra/main.parameters.json; a name the template lacks fails only at deployment.
unknown=()
while IFS= read -r name; do
  grep -Eq "^param $name " "$template" || unknown+=("$name")
done < <(grep -Eo '^    "[A-Za-z0-9_]+": \{' "$parameters" | sed -E 's/^ *"([^"]+)".*/\1/')
if [[ ${#unknown[@]} -eq 0 ]]; then
  echo "ok    infra/main.parameters.json names only parameters of main.bicep"
else
  echo "FAIL  infra/main.parameters.json names parameters main.bicep lacks: ${unknown[*]}"
  failed=1
fi

if [[ $failed -ne 0 ]]; then
  echo "bicep-check: FAILED"
  exit 1
fi
echo "bicep-check: passed (0 errors, 0 warnings)"
