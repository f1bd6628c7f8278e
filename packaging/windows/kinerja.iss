; Kinerja Desktop: the Windows installer (Inno Setup 6.3 or newer).
;
; Build after PyInstaller (`pyinstaller packaging\kinerja.spec`), from the repository root:
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 packaging\windows\kinerja.iss
; The installer lands in dist\kinerja-desktop-<version>-windows-x64-setup.exe.
;
; * Per-user install, no administrator rights: PrivilegesRequired=lowest puts {autopf} at
;   %LOCALAPPDATA%\Programs and HKA at HKEY_CURRENT_USER.
; * Installing a newer version over an older one replaces the program files only. The data
;   (database, backups, keys, logs) live in %LOCALAPPDATA%\PemkabBatanghari\KinerjaDesktop,
;   outside {app}: the program migrates the database after a backup when it next opens it.
; * Uninstalling removes the program files, shortcuts and the .kinerja association, and
;   deliberately NOT the data folder above: an office's records must survive an uninstall
;   (and a reinstall finds them again). Delete that folder by hand to remove the data.
; * Indonesian installer texts come from Inno Setup's Indonesian.isl, which Inno Setup does
;   not ship (it is an "unofficial" translation in its source repository): the Windows CI
;   workflow puts it next to this script. Without it the installer is English only.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Kinerja Desktop"
#define AppPublisher "Pemerintah Kabupaten Batanghari"
#define AppExeName "kinerja.exe"
#define AssocExt ".kinerja"
#define AssocProgId "KinerjaDesktop.SyncFile"
#define DistDir "..\..\dist\kinerja"
#define HaveIndonesian FileExists(AddBackslash(SourcePath) + "Indonesian.isl")

[Setup]
; The AppId identifies the program across versions (upgrades install over it): never change it.
AppId={{6F1B2D4E-8C3A-4F57-9E21-B5D0A7C41504}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppCopyright={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
; Close a running Kinerja Desktop (Restart Manager) before replacing its files.
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\..\resources\icons\kinerja.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=kinerja-desktop-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
#if HaveIndonesian
Name: "id"; MessagesFile: "Indonesian.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
en.AssocName=Kinerja Desktop sync file
#if HaveIndonesian
id.AssocName=Berkas sinkronisasi Kinerja Desktop
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; The runtime of the previous version goes first, so no stale library outlives an upgrade.
; Only program files live here; the data folder is elsewhere (see the top of this file).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
; .kinerja files (sync bundles from another office) open the import.
Root: HKA; Subkey: "Software\Classes\{#AssocExt}\OpenWithProgids"; ValueType: string; ValueName: "{#AssocProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#AssocProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:AssocName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#AssocProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExeName},0"
Root: HKA; Subkey: "Software\Classes\{#AssocProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" sync import ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: "{#AssocExt}"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
