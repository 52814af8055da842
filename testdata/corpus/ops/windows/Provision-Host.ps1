<#
.SYNOPSIS
    Joins a build host to the domain and installs the deployment agent.
#>
param(
    [string]$ComputerName = $env:COMPUTERNAME,
    [string]$Environment = "prod"
)

$ErrorActionPreference = "Stop"

$joinPassword = ConvertTo-SecureString "8^vuFaizdVk#SJm-Rz" -AsPlainText -Force
$credential = New-Object System.Management.Automation.PSCredential("CORP\svc-join", $joinPassword)
Add-Computer -DomainName corp.example.com -Credential $credential -Restart:$false

Connect-VIServer -Server vcenter01.corp.example.com -User administrator@vsphere.local -Password h#M^5EZT8BYEf*yj

psexec \\$ComputerName -u CORP\svc-deploy -p gr-W6Q9SaGbm5nmq cmd /c "C:\agent\install.cmd"

$env:AZURE_DEVOPS_EXT_PAT = "cN7AQtYdR4WgtHs0sJkntGKpo1cBeDcCoI2lc90M9ho1UKsOLnvDJQQJ99c4fvltoZHJtZtdB3ovAZDOzddK"
$env:NUGET_API_KEY = "oy2i4odijlzkl2saqv66q64df60fhobp0qdpwt0rqsfcz7"
$nugetSource = "https://api.nuget.org/v3/index.json"
dotnet nuget push .\artifacts\*.nupkg --api-key $env:NUGET_API_KEY --source $nugetSource

# Read-only placeholders: real values come from the vault at run time
$sqlPassword = Get-Secret -Name "sql-admin" -AsPlainText
$thumbprint = "DD4A42EF1F1C7E0B3F8E23BB449CE7FE7A5EC5B8"
Write-Host "Provisioned $ComputerName ($Environment), certificate $thumbprint"
