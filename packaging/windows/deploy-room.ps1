<#
.SYNOPSIS
  Installs ketreader silently on a training-room PC, with the room's policy, and reports it.
.DESCRIPTION
  The MSI's public properties write the policy under HKLM\Software\Policies\ketreader (the
  same values a Group Policy Object or Intune would set). Then the installed reader prints
  what this PC will do and the content fingerprint to compare across the room.
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File deploy-room.ps1 -Installer .\ketreader-1.0.0.msi -Properties "KIOSK=1 RESETONSTART=1 ALLOWEXPORT=0"
#>
param(
  [Parameter(Mandatory = $true)][string]$Installer,
  [string]$Properties = ""
)
$ErrorActionPreference = "Stop"

$arguments = @("/i", "`"$Installer`"", "/qn", "/norestart") + ($Properties -split "\s+" | Where-Object { $_ })
$p = Start-Process msiexec.exe -ArgumentList $arguments -Wait -PassThru
if ($p.ExitCode -ne 0 -and $p.ExitCode -ne 3010) { throw "installer failed with exit code $($p.ExitCode)" }

# Report what this PC will do, and the content fingerprint to compare across the room.
$cli = Join-Path $env:ProgramFiles "ketreader\ketreader-cli.exe"
& $cli policy
& $cli check
