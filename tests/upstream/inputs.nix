# The axiOS flake inputs for tests/upstream/eval.nix.
#
# Real: home-manager, DankMaterialShell, dank-greeter, niri-flake, agenix,
# nixos-hardware and lanzaboote are each the outputs of their own flake.nix
# (from the checkout in `sources`), called with:
#   nixpkgs      the real nixpkgs lib (with nixosSystem), stub legacyPackages
#   other inputs of theirs (source trees, crane, darwin …): fakes, listed in
#                `faked`; they are read only lazily (packages, docs, checks),
#                never by the modules axiOS imports.
# home-manager is not called as a flake (its flake.nix only re-exports
# nixos/ and modules/): its NixOS module is the folder itself.
# Fake: the axiOS inputs outside the list above, declaring what axiOS uses.
{
  lib,
  pkgs,
  system,
  stubDir,
  nixosSystem,
  sources,
  self,
}:
let
  systems = [
    "x86_64-linux"
    "aarch64-linux"
  ];
  flakePackage =
    n:
    pkgs.hello
    // {
      name = n;
      pname = n;
      meta.mainProgram = n;
      outPath =
        let
          p = "/nix/store/00000000000000000000000000000000-flake-${n}";
        in
        builtins.appendContext p { ${p}.path = true; };
    };
  flakePackages = ns: lib.genAttrs systems (_: lib.genAttrs ns flakePackage);

  nixpkgs = {
    lib = lib // {
      inherit nixosSystem;
    };
    outPath = stubDir;
    legacyPackages = lib.genAttrs systems (_: pkgs);
  };

  # A flake input of an input that only its packages, docs or checks read.
  fakeSource =
    n:
    derivation {
      name = "fake-${n}";
      inherit system;
      builder = "/bin/sh";
    };
  fakeFlake = n: {
    outPath = fakeSource n;
    inputs = { };
    lib = { };
    mkLib = _: { };
  };

  # Nix before 2.23 has no builtins.warn (flakes use it to deprecate outputs):
  # give the flake file one that traces, as newer Nix does.
  importCompat =
    if builtins ? warn then
      import
    else
      scopedImport {
        builtins = builtins // {
          warn = msg: builtins.trace "evaluation warning: ${msg}";
        };
      };

  # The outputs of a checkout's flake.nix, its inputs given by `inputs`.
  callFlake =
    name: inputs:
    let
      src = sources.${name};
      flake = importCompat (src + "/flake.nix");
      outputs = flake.outputs (inputs // { self = result; });
      result = outputs // {
        outPath = src;
        inherit outputs;
        lastModifiedDate = "19700101000000";
        lastModified = 0;
        shortRev = "0000000";
        rev = "0000000000000000000000000000000000000000";
      };
    in
    result;

  # Flake inputs of the real inputs, faked (name of the input: its inputs).
  innerFakes = {
    DankMaterialShell = [
      "dank-qml-common"
      "flake-compat"
    ];
    dank-greeter = [ "dank-qml-common" ];
    niri-flake = [
      "nixpkgs-stable"
      "niri-stable"
      "niri-unstable"
      "xwayland-satellite-stable"
      "xwayland-satellite-unstable"
    ];
    agenix = [
      "darwin"
      "home-manager"
      "systems"
    ];
    lanzaboote = [
      "pre-commit"
      "crane"
      "rust-overlay"
    ];
  };
  fakesFor =
    name:
    lib.genAttrs innerFakes.${name} fakeFlake
    // {
      inherit nixpkgs;
    };

  dms = callFlake "DankMaterialShell" (fakesFor "DankMaterialShell");
  dankGreeter = callFlake "dank-greeter" (fakesFor "dank-greeter");
  niri = callFlake "niri-flake" (fakesFor "niri-flake");
  agenix =
    callFlake "agenix" (
      fakesFor "agenix"
      // {
        systems = builtins.toFile "systems.nix" (builtins.toJSON systems);
      }
    )
    // {
      packages = flakePackages [
        "default"
        "agenix"
      ];
    };
  lanzaboote = callFlake "lanzaboote" (fakesFor "lanzaboote") // {
    packages = flakePackages [ "lzbt" ];
  };
  nixosHardware = callFlake "nixos-hardware" { inherit nixpkgs; };

  # axiOS inputs that are not evaluated from upstream code.
  fakeVscode = {
    _file = "fake vscode-server nixosModules.default";
    options.services.vscode-server.enable = lib.mkEnableOption "vscode-server";
  };
  fakeDsearchHome = {
    _file = "fake danksearch homeModules.default";
    options.programs.dsearch.enable = lib.mkEnableOption "danksearch";
  };
in
{
  inherit flakePackage;

  inputs = {
    inherit self nixpkgs;
    home-manager = {
      outPath = sources.home-manager;
      nixosModules.home-manager = sources.home-manager + "/nixos";
      nixosModules.default = sources.home-manager + "/nixos";
    };
    nixos-hardware = nixosHardware;
    agenix = agenix;
    lanzaboote = lanzaboote;
    dankMaterialShell = dms;
    dank-greeter = dankGreeter;
    niri = niri;
    vscode-server.nixosModules.default = fakeVscode;
    dsearch.homeModules.default = fakeDsearchHome;
    quickshell.packages = flakePackages [
      "default"
      "quickshell"
    ];
    ghostty.packages = flakePackages [
      "default"
      "ghostty"
    ];
    nix-ai-tools.packages = flakePackages [
      "claude-code"
      "copilot-cli"
      "gemini-cli"
      "spec-kit"
      "backlog-md"
      "opencode"
    ];
    mcp-servers-nix.packages = flakePackages [
      "mcp-server-filesystem"
      "mcp-server-git"
      "mcp-server-github"
      "mcp-server-fetch"
      "mcp-server-memory"
      "mcp-server-sequential-thinking"
      "mcp-server-time"
      "context7-mcp"
      "playwright-mcp"
      "mcp-server-brave-search"
      "tavily-mcp"
    ];
  };

  # What is not upstream code, for the script's report.
  faked = [
    "nixpkgs: only its lib is real; NixOS is a freeform stand-in (tests/upstream/nixos-base.nix), packages are stubs (stub-pkgs.nix)"
    "vscode-server: fake module declaring services.vscode-server.enable (no checkout)"
    "dsearch: fake home module declaring programs.dsearch.enable (no checkout)"
    "quickshell, ghostty, nix-ai-tools, mcp-servers-nix: stub packages only (axiOS uses no module of theirs)"
    "agenix, lanzaboote: packages are stubs (they build Rust/Go programs); modules are real"
  ]
  ++ lib.mapAttrsToList (
    n: fs: "${n}: its own flake inputs ${lib.concatStringsSep ", " fs} are fakes (read only by its packages and checks)"
  ) innerFakes;
}
