# The environment scripts/eval-upstream reads (docs/upstream-eval.md), taken
# from this flake's locked inputs instead of separate checkouts, so the
# evaluation judges exactly the revisions flake.lock pins. Used by
# scripts/upstream-from-lock in the CI and lock-update workflows.
#
#   env      VAR=value lines: each input's source and revision,
#            NIXPKGS_STUB (the whole nixpkgs tree holds every file the
#            stand-in needs)
#   options  the NixOS option names and types of the locked nixpkgs, in the
#            layout of the shared option list ("name<TAB>type")
{
  root,
  flake ? builtins.getFlake root,
}:
let
  inherit (flake) inputs;
  inherit (inputs.nixpkgs) lib;

  # variable holding the source → flake input
  sources = {
    NIXPKGS_LIB = "nixpkgs";
    HM_SRC = "home-manager";
    DMS_SRC = "dankMaterialShell";
    DANK_GREETER_SRC = "dank-greeter";
    NIRI_SRC = "niri";
    AGENIX_SRC = "agenix";
    NIXOS_HARDWARE_SRC = "nixos-hardware";
    LANZABOOTE_SRC = "lanzaboote";
  };
  revVar = var: "${lib.removeSuffix "_SRC" var}_REV";
  input =
    var:
    inputs.${sources.${var}}
      or (throw "upstream-from-lock: the flake has no input ${sources.${var}} (for ${var})");

  nixos = import (inputs.nixpkgs + "/nixos/lib/eval-config.nix") {
    system = "x86_64-linux";
    modules = [ ];
  };
  oneLine = lib.replaceStrings [ "\n" "\t" ] [ " " " " ];
in
{
  env = lib.concatStrings (
    lib.mapAttrsToList (var: _: ''
      ${var}=${(input var).outPath}
      ${revVar var}=${(input var).rev or ""}
    '') sources
  )
  + ''
    NIXPKGS_STUB=${inputs.nixpkgs.outPath}
  '';

  options = ''
    # NixOS option paths and types of the locked nixpkgs ${inputs.nixpkgs.rev or ""}, all options (internal ones too). <name> = attribute-set placeholder.
  ''
  + lib.concatMapStrings (o: "${o.name}\t${oneLine (o.type or "unspecified")}\n") (
    lib.optionAttrSetToDocList nixos.options
  );
}
