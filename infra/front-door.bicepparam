// The README's front door: every call that no rule rejects rings the auto attendant and the front desk's phone.
// Deploy it with the Azure CLI (docs/deployment.md):
//   az deployment group create -g rg-callfunctions-prod -p infra/front-door.bicepparam
// with GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET in the environment. scripts/bicep-check.sh builds it in CI, so a
// value the template does not allow fails there, not at deployment.
using 'main.bicep'

param environmentName = 'callfunctions-prod'
param graphClientId = readEnvironmentVariable('GRAPH_CLIENT_ID')
param graphClientSecret = readEnvironmentVariable('GRAPH_CLIENT_SECRET', '')
param rulesDefaultAction = 'Redirect'
param rulesDefaultTarget = 'applicationInstance:0c6f2b9e-8f1a-4e0a-9d2b-3c4d5e6f7a8b, +1 425-555-0100'
