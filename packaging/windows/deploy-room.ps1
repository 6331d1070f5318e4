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

# The MSI installs into the 64-bit Program Files. Intune runs scripts and Win32 app commands in
# 32-bit PowerShell unless told otherwise, where $env:ProgramFiles is "Program Files (x86)";
# ProgramW6432 names the 64-bit folder from either (see "Environment variables" in
# https://learn.microsoft.com/windows/win32/winprog64/wow64-implementation-details).
$programFiles = if ($env:ProgramW6432) { $env:ProgramW6432 } else { $env:ProgramFiles }
$cli = Join-Path $programFiles "ketreader\ketreader-cli.exe"

# ketreader-cli writes UTF-8; PowerShell decodes a program's output with the console's
# encoding, the OEM code page unless set, which garbles whatever is not ASCII (see
# https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding).
# Without a console at all (a detached process) the setter fails: the report then may be
# garbled, the deployment is not.
try { [Console]::OutputEncoding = [System.Text.UTF8Encoding]::new($false) } catch { }

# Report what this PC will do, and the content fingerprint to compare across the room. The
# script's exit code is the check's, so Intune or a task sequence sees a PC whose pack does
# not open; 3010 (restart needed) is passed on when everything else succeeded.
& $cli policy
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
& $cli check
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
exit $p.ExitCode
