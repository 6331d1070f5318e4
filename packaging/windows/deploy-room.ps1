<#
.SYNOPSIS
  Installs ketreader silently on a training-room PC and puts the room policy in place.
.EXAMPLE
  powershell -ExecutionPolicy Bypass -File deploy-room.ps1 -Installer .\ketreader-1.0.0.msi -Policy .\policy.ini
#>
param(
  [Parameter(Mandatory = $true)][string]$Installer,
  [Parameter(Mandatory = $true)][string]$Policy
)
$ErrorActionPreference = "Stop"

$p = Start-Process msiexec.exe -ArgumentList @("/i", "`"$Installer`"", "/qn", "/norestart") -Wait -PassThru
if ($p.ExitCode -ne 0 -and $p.ExitCode -ne 3010) { throw "installer failed with exit code $($p.ExitCode)" }

# The policy lives where users cannot write: readable by Users, writable by admins only.
$dir = Join-Path $env:ProgramData "ketreader"
New-Item -ItemType Directory -Force -Path $dir | Out-Null
$target = Join-Path $dir "policy.ini"
Copy-Item -Force $Policy $target
icacls $target /inheritance:r /grant:r "Administrators:F" "SYSTEM:F" "Users:R" | Out-Null

# Report what this PC will do, and the content fingerprint to compare across the room.
$cli = Join-Path $env:ProgramFiles "ketreader\ketreader-cli.exe"
& $cli policy --show
& $cli check
