; Inno Setup script: per-machine install of the PyInstaller bundle.
; build.py runs: iscc /DAppVersion=X /DBundleDir=dist\ketreader /Odist ketreader.iss
; Silent install:   ketreader-setup-X.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; Silent uninstall: "%ProgramFiles%\ketreader\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\ketreader"
#endif

[Setup]
AppId={{6E4B7D2A-5C1F-4E8B-9A3D-7F2C1B0E9D44}
AppName=ketreader
AppVersion={#AppVersion}
AppPublisher=ketreader team
DefaultDirName={autopf}\ketreader
DefaultGroupName=ketreader
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesInstallIn64BitMode=x64compatible
ArchitecturesAllowed=x64compatible
OutputBaseFilename=ketreader-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\ketreader.ico
UninstallDisplayIcon={app}\ketreader.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\ketreader"; Filename: "{app}\ketreader.exe"
Name: "{group}\Uninstall ketreader"; Filename: "{uninstallexe}"

[Run]
Filename: "{app}\ketreader.exe"; Description: "Start ketreader"; Flags: nowait postinstall skipifsilent
